package io.chatplatform.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a message mentions: user ids ({@code [2, 7]} on the wire) or everyone in a group ({@code ["all"]}).
 */
@RegisterForReflection
public record Mentions(boolean all, List<Long> uids) {

    public static final String ALL = "all";

    public Mentions {
        uids = all ? List.of() : List.copyOf(uids);
    }

    public static Mentions everyone() {
        return new Mentions(true, List.of());
    }

    public static Mentions of(List<Long> uids) {
        return new Mentions(false, uids);
    }

    public boolean mentions(long uid) {
        return all || uids.contains(uid);
    }

    @JsonValue
    public List<Object> wire() {
        return all ? List.of(ALL) : new ArrayList<>(uids);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Mentions fromWire(List<Object> wire) {
        if (wire.size() == 1 && ALL.equals(wire.get(0))) {
            return everyone();
        }
        List<Long> uids = new ArrayList<>(wire.size());
        for (Object o : wire) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("mentions are user ids or [\"all\"]");
            }
            uids.add(n.longValue());
        }
        return of(uids);
    }
}
