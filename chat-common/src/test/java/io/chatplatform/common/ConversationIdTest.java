package io.chatplatform.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.common.conversation.ConversationId;
import io.chatplatform.common.conversation.LogPartitions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConversationIdTest {

    @Test
    void directIdsAreCanonicalWhateverTheOrder() {
        assertEquals("d.3.17", ConversationId.direct(17, 3).value());
        assertEquals(ConversationId.direct(3, 17), ConversationId.parse("d.3.17").orElseThrow());
        assertEquals(List.of(3L, 17L), ConversationId.direct(17, 3).directMembers());
        assertThrows(IllegalArgumentException.class, () -> ConversationId.direct(5, 5));
    }

    @Test
    void groupAndDeskIdsCarryTheirNumber() {
        assertEquals(ConversationId.Kind.GROUP, ConversationId.parse("g.42").orElseThrow().kind());
        assertEquals(42, ConversationId.parse("g.42").orElseThrow().number());
        assertEquals(ConversationId.Kind.DESK, ConversationId.parse("c.7").orElseThrow().kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d.17.3", "d.3.3", "d.03.4", "g.", "g.-1", "g.01", "x.1", "g.1.2", "c.1 ", "d.1",
            "g.99999999999999999999", "g.9999999999999999999", "c.9223372036854775808", "G.1"})
    void malformedOrNonCanonicalIdsAreRejected(String id) {
        assertTrue(ConversationId.parse(id).isEmpty(), id);
    }

    @Test
    void partitionsAreStableAndSpread() {
        assertEquals(LogPartitions.partitionOf("d.1.2", 8), LogPartitions.partitionOf("d.1.2", 8));
        Set<Integer> used = new HashSet<>();
        for (int g = 0; g < 200; g++) {
            int p = LogPartitions.partitionOf("g." + g, 8);
            assertTrue(p >= 0 && p < 8);
            used.add(p);
        }
        assertEquals(8, used.size(), "200 conversations use every partition");
        assertEquals("chat:log:{5}", LogPartitions.streamKey(5));
    }
}
