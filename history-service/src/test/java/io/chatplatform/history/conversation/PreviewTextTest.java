package io.chatplatform.history.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PreviewTextTest {

    @Test
    void cutsAtOneHundredCharactersWithoutSplittingSurrogatePairs() {
        assertNull(ConversationDocument.previewText(null));
        assertEquals("short", ConversationDocument.previewText("short"));
        assertEquals("a".repeat(100), ConversationDocument.previewText("a".repeat(101)));
        String emoji = "\uD83D\uDE00".repeat(120); // 120 code points, 240 chars
        String cut = ConversationDocument.previewText(emoji);
        assertEquals(100, cut.codePointCount(0, cut.length()));
        assertEquals("\uD83D\uDE00".repeat(100), cut);
    }
}
