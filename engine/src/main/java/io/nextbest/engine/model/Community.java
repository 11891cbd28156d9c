package io.nextbest.engine.model;

import java.time.Instant;

/** Community activity: posts in the last 90 days, follows, last activity. */
public record Community(Integer posts90d, Integer follows, Instant lastActivityAt) {
  public static final Community NONE = new Community(0, 0, null);

  public Community {
    posts90d = posts90d == null ? 0 : posts90d;
    follows = follows == null ? 0 : follows;
  }
}
