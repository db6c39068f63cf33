package io.chatplatform.history.consultation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The customer's rating of a closed ticket: score 1–5, an optional comment, when (epoch ms). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RatingView(int score, String comment, long ts) {
}
