package io.nextbest.engine.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.QuietHours;
import io.nextbest.engine.model.Severity;
import java.time.Instant;

/**
 * Something that happened to or with a customer. Every event has an id (sending the same id twice
 * changes nothing), the customer, and when it happened; the {@code type} property selects the kind.
 * Profiles are folded from these by {@link ProfileAggregator}; the API ingests them and the
 * simulator replays them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = CustomerEvent.InteractionStarted.class, name = "INTERACTION_STARTED"),
  @JsonSubTypes.Type(value = CustomerEvent.InteractionEnded.class, name = "INTERACTION_ENDED"),
  @JsonSubTypes.Type(value = CustomerEvent.SurveyAnswered.class, name = "SURVEY_ANSWERED"),
  @JsonSubTypes.Type(value = CustomerEvent.ComplaintOpened.class, name = "COMPLAINT_OPENED"),
  @JsonSubTypes.Type(value = CustomerEvent.ComplaintResolved.class, name = "COMPLAINT_RESOLVED"),
  @JsonSubTypes.Type(value = CustomerEvent.Purchase.class, name = "PURCHASE"),
  @JsonSubTypes.Type(value = CustomerEvent.ProductClosed.class, name = "PRODUCT_CLOSED"),
  @JsonSubTypes.Type(value = CustomerEvent.LoyaltyActivity.class, name = "LOYALTY_ACTIVITY"),
  @JsonSubTypes.Type(value = CustomerEvent.CommunityActivity.class, name = "COMMUNITY_ACTIVITY"),
  @JsonSubTypes.Type(value = CustomerEvent.Referral.class, name = "REFERRAL"),
  @JsonSubTypes.Type(value = CustomerEvent.ConsentChanged.class, name = "CONSENT_CHANGED"),
  @JsonSubTypes.Type(value = CustomerEvent.AttributesChanged.class, name = "ATTRIBUTES_CHANGED"),
  @JsonSubTypes.Type(value = CustomerEvent.OutreachSent.class, name = "OUTREACH_SENT"),
  @JsonSubTypes.Type(value = CustomerEvent.OutreachResponse.class, name = "OUTREACH_RESPONSE")
})
public sealed interface CustomerEvent {
  String id();

  String customerId();

  Instant at();

  /** How an interaction ended. FAILED counts as a failed interaction (G3, G4, G17). */
  enum Outcome {
    RESOLVED,
    UNRESOLVED,
    FAILED,
    ABANDONED
  }

  enum Survey {
    CSAT,
    CES,
    NPS
  }

  enum LoyaltyKind {
    JOINED,
    EARNED,
    REDEEMED,
    LEFT
  }

  enum CommunityKind {
    POST,
    FOLLOW,
    REVIEW
  }

  /** What the customer did with an outreach message. */
  enum Response {
    DELIVERED,
    OPENED,
    CLICKED,
    ACCEPTED,
    DECLINED
  }

  record InteractionStarted(
      String id, String customerId, Instant at, Channel channel, String reason)
      implements CustomerEvent {}

  record InteractionEnded(
      String id,
      String customerId,
      Instant at,
      Channel channel,
      String reason,
      Outcome outcome,
      String product)
      implements CustomerEvent {}

  record SurveyAnswered(String id, String customerId, Instant at, Survey survey, Integer value)
      implements CustomerEvent {}

  record ComplaintOpened(
      String id,
      String customerId,
      Instant at,
      String complaintId,
      Severity severity,
      String product,
      String topic)
      implements CustomerEvent {}

  record ComplaintResolved(String id, String customerId, Instant at, String complaintId)
      implements CustomerEvent {}

  record Purchase(String id, String customerId, Instant at, String product, Double amount)
      implements CustomerEvent {}

  record ProductClosed(String id, String customerId, Instant at, String product)
      implements CustomerEvent {}

  record LoyaltyActivity(
      String id, String customerId, Instant at, LoyaltyKind kind, Integer points, String tier)
      implements CustomerEvent {}

  record CommunityActivity(String id, String customerId, Instant at, CommunityKind kind)
      implements CustomerEvent {}

  record Referral(String id, String customerId, Instant at, String referredCustomerId)
      implements CustomerEvent {}

  record ConsentChanged(String id, String customerId, Instant at, Channel channel, Boolean granted)
      implements CustomerEvent {}

  /** Slow-changing attributes: each present field replaces the stored one. */
  record AttributesChanged(
      String id,
      String customerId,
      Instant at,
      Channel preferredChannel,
      QuietHours quietHours,
      Proficiency digitalProficiency,
      Double annualValue,
      Instant customerSince)
      implements CustomerEvent {}

  record OutreachSent(
      String id, String customerId, Instant at, String actionId, Channel channel, String decisionId)
      implements CustomerEvent {}

  record OutreachResponse(
      String id,
      String customerId,
      Instant at,
      String actionId,
      String decisionId,
      Response response)
      implements CustomerEvent {}
}
