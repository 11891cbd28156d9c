package io.nextbest.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.nextbest.engine.FieldError;
import io.nextbest.engine.Json;
import io.nextbest.engine.events.CustomerEvent;
import io.nextbest.engine.events.EventValidator;
import io.nextbest.engine.events.ProblemContacts;
import io.nextbest.engine.events.ProfileState;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.Interaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Event histories replayed: a JSON Lines file of {@link CustomerEvent}s (the types the API
 * ingests), grouped by customer. Each customer's events are folded into a {@link ProfileState} and
 * decided on at the {@link DecisionPoints}; only one customer's history is held at a time.
 */
final class EventPopulation implements Population {
  private static final Instant NO_FUTURE_CHECK = Instant.parse("9999-01-01T00:00:00Z");

  private record Line(long number, CustomerEvent event) {}

  private final Input input;
  private final DecisionPoints points;
  private final ProblemContacts problems;
  private final long size;
  private final MappedPopulation.CountingStream counted;
  private final BufferedReader reader;
  private long lineNo;
  private Line pending;
  private Unit pendingBad;

  private EventPopulation(Input input, DecisionPoints points, ProblemContacts problems) {
    this.input = input;
    this.points = points;
    this.problems = problems;
    this.size = input.size();
    this.counted = new MappedPopulation.CountingStream(input.open());
    this.reader =
        new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
  }

  static EventPopulation open(Input input, DecisionPoints points, ProblemContacts problems) {
    return new EventPopulation(input, points, problems);
  }

  @Override
  public Unit next() throws IOException {
    if (pendingBad != null) {
      Unit u = pendingBad;
      pendingBad = null;
      return u;
    }
    List<Line> block = new ArrayList<>();
    if (pending != null) {
      block.add(pending);
      pending = null;
    }
    while (true) {
      String text = reader.readLine();
      if (text == null) {
        break;
      }
      long n = ++lineNo;
      if (text.isBlank()) {
        continue;
      }
      CustomerEvent e;
      try {
        e = Json.mapper().readValue(text, CustomerEvent.class);
      } catch (JsonProcessingException ex) {
        Problem p =
            new Problem(
                input.name(),
                n,
                ex.getLocation() == null ? null : ex.getLocation().getColumnNr(),
                null,
                "not a customer event: " + ex.getOriginalMessage());
        Unit bad =
            () -> {
              throw new BadRow(p);
            };
        if (block.isEmpty()) {
          return bad;
        }
        pendingBad = bad;
        break;
      }
      if (e.customerId() == null) {
        Problem p = new Problem(input.name(), n, null, "customerId", "is required");
        Unit bad =
            () -> {
              throw new BadRow(p);
            };
        if (block.isEmpty()) {
          return bad;
        }
        pendingBad = bad;
        break;
      }
      if (!block.isEmpty() && !block.get(0).event().customerId().equals(e.customerId())) {
        pending = new Line(n, e);
        break;
      }
      block.add(new Line(n, e));
    }
    if (block.isEmpty()) {
      return null;
    }
    List<Line> events = List.copyOf(block);
    return () -> subject(events);
  }

  private Subject subject(List<Line> lines) {
    for (Line l : lines) {
      List<FieldError> errors = EventValidator.validate(l.event(), NO_FUTURE_CHECK, "");
      if (!errors.isEmpty()) {
        FieldError f = errors.get(0);
        throw new BadRow(
            new Problem(
                input.name(),
                l.number(),
                null,
                f.field(),
                f.message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "")));
      }
    }
    List<CustomerEvent> events = new ArrayList<>(lines.size());
    for (Line l : lines) {
      events.add(l.event());
    }
    events.sort(Comparator.comparing(CustomerEvent::at));
    String customer = events.get(0).customerId();
    ProfileState state = fold(customer, events);
    Instant first = events.get(0).at();
    Instant last = events.get(events.size() - 1).at();
    List<CustomerContext> contexts = new ArrayList<>();
    Instant nextTick =
        points.everyDays() > 0 ? first.plus(Duration.ofDays(points.everyDays())) : null;
    for (CustomerEvent ev : events) {
      while (nextTick != null && !nextTick.isAfter(ev.at())) {
        contexts.add(
            new CustomerContext(
                customer, nextTick, state.snapshot(nextTick, problems), null, null));
        nextTick = nextTick.plus(Duration.ofDays(points.everyDays()));
      }
      if (points.onInteraction() && ev instanceof CustomerEvent.InteractionStarted s) {
        Interaction live =
            new Interaction(s.channel(), s.reason(), null, false, null, null, s.at());
        contexts.add(
            new CustomerContext(customer, s.at(), state.snapshot(s.at(), problems), live, null));
      }
    }
    if (points.atEnd()) {
      contexts.add(new CustomerContext(customer, last, state.snapshot(last, problems), null, null));
    }
    return new Subject(
        input.name(),
        lines.get(0).number(),
        customer,
        null,
        contexts,
        () -> fold(customer, events),
        last,
        null);
  }

  private static ProfileState fold(String customer, List<CustomerEvent> events) {
    ProfileState state = new ProfileState(customer);
    for (CustomerEvent ev : events) {
      state.apply(ev);
    }
    return state;
  }

  @Override
  public double progress() {
    return size <= 0 ? -1 : Math.min(1.0, (double) counted.count / size);
  }

  @Override
  public String describe() {
    return "event histories in " + input.name() + ", decided at " + points;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
