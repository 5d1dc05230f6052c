"""Reference values of Ai and Ai' for AiryTest, from mpmath at 40 significant digits.

Regenerate (from this directory):
    python3 airy_reference.py > airy_reference.csv
Points: every 1/8 on [-30, 30] shifted by 1/1000 (so most are off the Java grid nodes),
the nodes 0 and +-10 themselves, and values straddling the asymptotic cut-off at |x| = 10.
Each point is rounded to a double first and mpmath evaluates at that double exactly, and x is
printed with repr() so that Java's Double.parseDouble reads back the same double.
"""
from fractions import Fraction
import mpmath

mpmath.mp.dps = 40

points = set()
for k in range(-240, 241):
    points.add(Fraction(k, 8) + Fraction(1, 1000))
for x in ["0", "10", "-10", "9.999", "-9.999", "10.001", "-10.001", "0.125", "-0.125",
          "2.3", "-2.3", "7", "-7", "50", "-50", "100", "-100"]:
    points.add(Fraction(x))

print("# x, Ai(x), Ai'(x)  (mpmath %s, dps=40; see airy_reference.py)" % mpmath.__version__)
for p in sorted(points):
    xd = float(p)
    x = mpmath.mpf(xd)
    print("%r,%s,%s" % (xd, mpmath.nstr(mpmath.airyai(x), 25),
                        mpmath.nstr(mpmath.airyai(x, derivative=1), 25)))
