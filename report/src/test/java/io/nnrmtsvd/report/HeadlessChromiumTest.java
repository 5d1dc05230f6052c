package io.nnrmtsvd.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlessChromiumTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedReportLoadsCleanlyWithEveryImageAndOneRowPerLayer() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path html = RunReport.write(RunDirectory.open(dir.resolve("run"), "train", ReportFixtures.TIME),
                ReportFixtures.fullMetrics());
        HeadlessChromium.Page page = HeadlessChromium.open(html, dir);
        assertEquals(List.of(), page.errors());
        assertEquals(List.of(), page.console());
        assertEquals(10, page.imageWidths().size());
        page.imageWidths().forEach(w -> assertEquals(Plots.WIDTH, w, "natural width of an SVG image"));
        page.renderedWidths().forEach(w -> assertTrue(w > 300 && w <= Plots.WIDTH, "drawn at " + w + " px, "
                + "never stretched past its size"));
        assertEquals(0, page.overflowingTables(), "tables fit their box at 1280 px");
        assertEquals(List.of(2, 2), page.layerRows());
    }

    @Test
    void theProbeSeesBrokenImagesBlockedLoadsAndConsoleErrors() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\""
                + HtmlReport.CONTENT_SECURITY_POLICY + "\"></head><body>"
                + "<img src=\"data:image/png;base64,AAAA\"><img src=\"http://example.invalid/x.png\">"
                + "<table class=\"layers\"><tbody><tr><td>1</td></tr></tbody></table>"
                + "<script>console.error('a page error')</script></body></html>");
        HeadlessChromium.Page found = HeadlessChromium.open(page, dir);
        assertEquals(List.of(0, 0), found.imageWidths());
        assertEquals(List.of(1), found.layerRows());
        assertTrue(found.errors().stream().anyMatch(e -> e.startsWith("blocked: http://example.invalid")),
                found.errors().toString());
        assertTrue(found.errors().stream().anyMatch(e -> e.startsWith("error: IMG") || e.startsWith("error: data:")),
                found.errors().toString());
        assertTrue(found.console().stream().anyMatch(l -> l.contains("example.invalid")), found.console().toString());
        assertTrue(found.console().stream().anyMatch(l -> l.contains("a page error")), found.console().toString());
    }
}
