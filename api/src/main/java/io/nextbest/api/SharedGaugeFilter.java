package io.nextbest.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micrometer's one warning that a Vert.x gauge "has been already registered". Vert.x's
 * metrics register the same gauge (e.g. {@code vertx.http.server.active.connections}) once per HTTP
 * server, one per event loop here, and share its value between them, so the second registration
 * loses nothing (vertx-micrometer-metrics issue 259). Every other warning, also about this
 * service's own meters, still gets through.
 */
public final class SharedGaugeFilter extends TurboFilter {
  static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format != null
        && level == Level.WARN
        && LOGGER.equals(logger.getName())
        && format.startsWith("This Gauge has been already registered (MeterId{name='vertx.")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
