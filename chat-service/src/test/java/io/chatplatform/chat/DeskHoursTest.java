package io.chatplatform.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chatplatform.chat.desk.DeskHours;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Business hours at fixed instants (2026-12-07 is a Monday; Berlin is UTC+1 in December). */
class DeskHoursTest {

    private static final DeskHours BERLIN = DeskHours.parse(Optional.of("Mon-Fri 09:00-18:00 Europe/Berlin"));

    @Test
    void openOnWeekdaysBetweenStartAndEndInTheirZone() {
        assertTrue(BERLIN.isOpen(Instant.parse("2026-12-07T08:00:00Z")), "Monday 09:00 Berlin");
        assertTrue(BERLIN.isOpen(Instant.parse("2026-12-11T16:59:59Z")), "Friday 17:59:59 Berlin");
        assertFalse(BERLIN.isOpen(Instant.parse("2026-12-07T07:59:59Z")), "Monday 08:59:59 Berlin");
        assertFalse(BERLIN.isOpen(Instant.parse("2026-12-11T17:00:00Z")), "Friday 18:00 Berlin: the end is exclusive");
        assertFalse(BERLIN.isOpen(Instant.parse("2026-12-12T12:00:00Z")), "Saturday");
    }

    @Test
    void severalRangesWrappingDayRangesAndAlwaysOpenWithoutHours() {
        DeskHours hours = DeskHours.parse(Optional.of("Fri-Mon 10:00-12:00; Wed 20:00-21:00 Asia/Tokyo"));
        assertTrue(hours.isOpen(Instant.parse("2026-12-13T11:00:00Z")), "Sunday inside Fri-Mon");
        assertFalse(hours.isOpen(Instant.parse("2026-12-08T11:00:00Z")), "Tuesday");
        assertTrue(hours.isOpen(Instant.parse("2026-12-09T11:30:00Z")), "Wednesday 20:30 Tokyo");
        assertTrue(DeskHours.parse(Optional.empty()).isOpen(Instant.parse("2026-12-12T03:00:00Z")));
    }

    @Test
    void aMalformedSpecificationIsRefusedAtStart() {
        for (String bad : new String[] {"Mon-Fri", "Mon-Fri 18:00-09:00", "Funday 09:00-10:00", "Mon 9-10", "Mon 09:00-10:00 Mars/Base"}) {
            assertThrows(RuntimeException.class, () -> DeskHours.parse(Optional.of(bad)), bad);
        }
    }
}
