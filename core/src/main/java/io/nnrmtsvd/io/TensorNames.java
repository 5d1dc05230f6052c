package io.nnrmtsvd.io;

import java.util.Comparator;

/** Orders tensor names as people read them: {@code layers.2} before {@code layers.10}. */
public final class TensorNames {
    /** Compares runs of digits by value and everything else character by character. */
    public static final Comparator<String> NATURAL = TensorNames::compare;

    private TensorNames() {
    }

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = endOfDigits(a, i);
                int ej = endOfDigits(b, j);
                int c = compareNumbers(a, i, ei, b, j, ej);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static int endOfDigits(String s, int from) {
        int end = from;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        return end;
    }

    /**
     * Compares the runs of digits {@code a[ai, ae)} and {@code b[bi, be)} by value, in place:
     * leading zeros skipped (all but the last digit), then the longer run is larger, then digit by digit.
     */
    private static int compareNumbers(String a, int ai, int ae, String b, int bi, int be) {
        while (ai < ae - 1 && a.charAt(ai) == '0') {
            ai++;
        }
        while (bi < be - 1 && b.charAt(bi) == '0') {
            bi++;
        }
        if (ae - ai != be - bi) {
            return Integer.compare(ae - ai, be - bi);
        }
        for (; ai < ae; ai++, bi++) {
            if (a.charAt(ai) != b.charAt(bi)) {
                return Character.compare(a.charAt(ai), b.charAt(bi));
            }
        }
        return 0;
    }
}
