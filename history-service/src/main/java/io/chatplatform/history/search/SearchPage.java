package io.chatplatform.history.search;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Hits newest first; pass {@code nextCursor} as {@code cursor} for older ones (absent: nothing older matched). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchPage(List<SearchHit> items, String nextCursor) {
}
