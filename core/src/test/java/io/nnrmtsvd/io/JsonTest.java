package io.nnrmtsvd.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parseReadsBackWhatWriteWrote() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "a \"quoted\" é");
        doc.put("count", 3);
        doc.put("values", new double[] {0.1, 1e-300, Double.NaN});
        doc.put("flags", List.of(true, false));
        doc.put("nothing", null);
        Object back = Json.parse(Json.toString(doc, true), "doc");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("name", "a \"quoted\" é");
        expected.put("count", 3L);
        expected.put("values", Arrays.asList(0.1, 1e-300, null));
        expected.put("flags", List.of(true, false));
        expected.put("nothing", null);
        assertEquals(expected, back);
        assertEquals(List.of("name", "count", "values", "flags", "nothing"),
                List.copyOf(((Map<?, ?>) back).keySet()), "keys keep document order");
    }

    @Test
    void parseRejectsDuplicatesTrailingContentAndMalformedText() {
        assertTrue(assertThrows(InvalidInputException.class, () -> Json.parse("{\"a\":1,\"a\":2}", "test")).getMessage()
                .contains("Duplicate"));
        assertTrue(assertThrows(InvalidInputException.class, () -> Json.parse("{} {}", "test")).getMessage()
                .contains("after the JSON document"));
        assertThrows(InvalidInputException.class, () -> Json.parse("{\"a\":", "test"));
        assertThrows(InvalidInputException.class, () -> Json.parse("", "test"));
    }

    @Test
    void aBadTokenCannotPutEscapeSequencesInTheMessage() {
        String message = assertThrows(InvalidInputException.class,
                () -> Json.parse("{\"a\": tru\u001b[31m}", "test")).getMessage();
        assertTrue(message.startsWith("test: not valid JSON: Unrecognized token 'tru\\u001b"), message);
        assertFalse(message.chars().anyMatch(Character::isISOControl), message);
    }
}
