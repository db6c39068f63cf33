package io.chatplatform.history.consultation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** Tickets, newest first; pass {@code nextCursor} as {@code cursor} for the next page. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsultationPage(List<ConsultationView> items, String nextCursor) {
}
