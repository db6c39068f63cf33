package io.chatplatform.chat.desk;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Business hours ({@code chat.desk.hours}): one or more ranges separated by {@code ;}, each
 * {@code <days> <HH:mm>-<HH:mm> [<zone>]}, e.g. {@code Mon-Fri 09:00-18:00 Europe/Berlin; Sat 10:00-14:00 Europe/Berlin}.
 * Days are English three-letter names, a range ({@code Mon-Fri}, wrapping as in {@code Fri-Mon}) or a list
 * ({@code Mon,Wed}); the end time is exclusive and must be after the start; the zone defaults to UTC. No hours: always open.
 */
public final class DeskHours {

    private final List<Range> ranges;

    private DeskHours(List<Range> ranges) {
        this.ranges = ranges;
    }

    public static DeskHours alwaysOpen() {
        return new DeskHours(List.of());
    }

    /** @throws IllegalArgumentException with what is wrong */
    public static DeskHours parse(Optional<String> spec) {
        if (spec.isEmpty() || spec.get().isBlank()) {
            return alwaysOpen();
        }
        List<Range> ranges = new ArrayList<>();
        for (String part : spec.get().split(";")) {
            String[] tokens = part.strip().split("\\s+");
            if (tokens.length < 2 || tokens.length > 3) {
                throw new IllegalArgumentException("chat.desk.hours: '" + part.strip() + "' is not '<days> <HH:mm>-<HH:mm> [zone]'");
            }
            String[] times = tokens[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("chat.desk.hours: '" + tokens[1] + "' is not '<HH:mm>-<HH:mm>'");
            }
            LocalTime start = LocalTime.parse(times[0]);
            LocalTime end = LocalTime.parse(times[1]);
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("chat.desk.hours: the end of '" + tokens[1] + "' must be after its start");
            }
            ranges.add(new Range(days(tokens[0]), start, end, tokens.length == 3 ? ZoneId.of(tokens[2]) : ZoneId.of("UTC")));
        }
        return new DeskHours(List.copyOf(ranges));
    }

    public boolean isOpen(Instant at) {
        if (ranges.isEmpty()) {
            return true;
        }
        for (Range range : ranges) {
            ZonedDateTime local = at.atZone(range.zone());
            LocalTime time = local.toLocalTime();
            if (range.days().contains(local.getDayOfWeek()) && !time.isBefore(range.start()) && time.isBefore(range.end())) {
                return true;
            }
        }
        return false;
    }

    private static Set<DayOfWeek> days(String spec) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split(",")) {
            String[] bounds = item.split("-");
            DayOfWeek first = day(bounds[0]);
            DayOfWeek last = bounds.length == 2 ? day(bounds[1]) : first;
            if (bounds.length > 2) {
                throw new IllegalArgumentException("chat.desk.hours: '" + item + "' is not a day or a range of days");
            }
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("chat.desk.hours: '" + name + "' is not a day (Mon, Tue, ... Sun)");
    }

    private record Range(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
    }
}
