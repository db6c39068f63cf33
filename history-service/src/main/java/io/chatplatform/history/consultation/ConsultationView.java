package io.chatplatform.history.consultation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A desk ticket. {@code ticket} is also its conversation id ({@code c.{id}}); times are epoch milliseconds,
 * null when the ticket never got there.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsultationView(String ticket, String state, long customer, Long agent, String topic, Long createdAt,
        Long claimedAt, Long closedAt, List<TransferView> transfers, long updatedAt, Long firstResponseAt, boolean slaBreached,
        RatingView rating) {
}
