package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.fail;

import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a report in Debian's headless Chromium and reports what the page saw once loaded: the
 * natural width of every image, the body rows of every layer table, script and resource errors,
 * and console messages. A copy of the page gets a small script right after its
 * Content-Security-Policy (which is widened to allow that inline script only); the script writes
 * its findings into the DOM, which Chromium dumps.
 */
public final class HeadlessChromium {
    /** Where Debian installs it. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final String PROBE = """
            <script>
            window.probeErrors = [];
            addEventListener('error', e => probeErrors.push('error: ' + (e.message || (e.target && (e.target.src
                || e.target.tagName)))), true);
            addEventListener('securitypolicyviolation', e => probeErrors.push('blocked: ' + e.blockedURI));
            addEventListener('load', () => {
              const found = {
                images: [...document.images].map(i => i.naturalWidth)
                  .concat([...document.querySelectorAll('figure > svg')].map(s => s.viewBox.baseVal.width)),
                rendered: [...document.querySelectorAll('figure > svg')].map(s => Math.round(s.getBoundingClientRect().width)),
                overflow: [...document.querySelectorAll('.scroll')].filter(d => d.scrollWidth > d.clientWidth + 1).length,
                layerRows: [...document.querySelectorAll('table.layers')].map(t => t.tBodies[0].rows.length),
                errors: probeErrors
              };
              const out = document.createElement('pre');
              out.id = 'probe';
              out.textContent = JSON.stringify(found);
              document.body.appendChild(out);
            });
            </script>
            """;
    private static final Pattern RESULT = Pattern.compile("<pre id=\"probe\">(.*?)</pre>", Pattern.DOTALL);

    private HeadlessChromium() {
    }

    /**
     * What the page held once loaded.
     *
     * @param imageWidths natural width of each image ({@code img} elements, then the viewBox width of
     *     each figure's inline SVG), in page order
     * @param renderedWidths the width each figure's inline SVG is drawn at, in CSS pixels
     * @param overflowingTables tables wider than their box (which then scrolls)
     * @param layerRows body rows of each {@code table.layers}, in page order
     * @param errors script errors, failed resources and blocked loads
     * @param console console messages Chromium logged
     */
    public record Page(List<Integer> imageWidths, List<Integer> renderedWidths, int overflowingTables,
                       List<Integer> layerRows, List<String> errors, List<String> console) {
    }

    /**
     * Skips the calling test when Chromium is missing, unless the environment says {@code CI=true}:
     * then it fails, since CI installs Chromium ({@code .ci/run}).
     */
    public static void assumeInstalled() {
        if (Files.isExecutable(CHROMIUM)) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(CHROMIUM + " is missing under CI=true; .ci/run installs Debian's chromium");
        }
        Assumptions.assumeTrue(false, "browser check skipped: " + CHROMIUM
                + " is not installed (apt-get install chromium, or run .ci/run)");
    }

    /**
     * Loads {@code page} (a file) in a fresh headless Chromium and returns what it found.
     *
     * @param work a directory for the probed copy's profile and logs
     */
    public static Page open(Path page, Path work) throws IOException, InterruptedException {
        String html = Files.readString(page);
        String policy = "content=\"" + HtmlReport.CONTENT_SECURITY_POLICY + "\">";
        int at = html.indexOf(policy);
        if (at < 0) {
            fail("the page has no Content-Security-Policy meta tag");
        }
        String probed = html.substring(0, at) + "content=\"" + HtmlReport.CONTENT_SECURITY_POLICY
                + "; script-src 'unsafe-inline'\">\n" + PROBE + html.substring(at + policy.length());
        Path copy = page.resolveSibling("probed-" + page.getFileName());
        Files.writeString(copy, probed);
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path stdout = work.resolve("chromium.out");
        Path stderr = work.resolve("chromium.err");
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=5000", "--window-size=1280,2000", "--dump-dom", copy.toUri().toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!chromium.waitFor(120, TimeUnit.SECONDS)) {
                fail("chromium did not finish within 120 s; stderr: " + Files.readString(stderr));
            }
        } finally {
            chromium.destroyForcibly();
            Files.delete(copy);
        }
        Matcher m = RESULT.matcher(Files.readString(stdout));
        if (!m.find()) {
            fail("the page's probe did not run (exit " + chromium.exitValue() + "); stderr: "
                    + Files.readString(stderr));
        }
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        Map<String, Object> found = Json.parseObject(json, "probe result");
        List<String> console = new ArrayList<>();
        for (String line : Files.readAllLines(stderr)) {
            if (line.contains(":CONSOLE")) {
                console.add(line);
            }
        }
        return new Page(integers(found.get("images")), integers(found.get("rendered")),
                Math.toIntExact((Long) found.get("overflow")), integers(found.get("layerRows")),
                JsonFields.array(found.get("errors"), "errors").stream().map(String::valueOf).toList(), console);
    }

    private static List<Integer> integers(Object list) {
        return JsonFields.array(list, "list").stream().map(o -> ((Long) o).intValue()).toList();
    }
}
