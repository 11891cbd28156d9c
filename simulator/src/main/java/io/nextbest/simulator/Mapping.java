package io.nextbest.simulator;

import io.nextbest.engine.model.Channel;
import io.nextbest.engine.model.ChannelUsage;
import io.nextbest.engine.model.Community;
import io.nextbest.engine.model.Complaint;
import io.nextbest.engine.model.CustomerContext;
import io.nextbest.engine.model.CustomerProfile;
import io.nextbest.engine.model.FailedInteraction;
import io.nextbest.engine.model.Interaction;
import io.nextbest.engine.model.Loyalty;
import io.nextbest.engine.model.OutreachSent;
import io.nextbest.engine.model.ProductHolding;
import io.nextbest.engine.model.Proficiency;
import io.nextbest.engine.model.QuietHours;
import io.nextbest.engine.model.Score;
import io.nextbest.engine.model.Sentiment;
import io.nextbest.engine.model.Severity;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed population mapping (see {@code docs/simulator.md}): how one row of a CSV or JSON Lines
 * file becomes a {@link CustomerContext} and an optional outcome. Immutable and thread-safe: rows
 * are mapped on the worker threads.
 */
final class Mapping {
  /** A typed check on a column, applied to every row before it is mapped. */
  record ColumnRule(
      String name,
      String type,
      boolean required,
      Double min,
      Double max,
      List<Expr.Const> values) {}

  /**
   * A group of target fields (an NPS answer, one product, the live interaction...), present when
   * {@code when} holds.
   */
  record Spec(Map<String, Expr> fields, Cond when, Expr repeat, Expr everyDays, String path) {
    Expr field(String name) {
      return fields.get(name);
    }
  }

  /**
   * The observed outcome the population carries (e.g. churn), true for the {@code positive} values.
   */
  record Outcome(String name, Expr value, List<Expr.Const> positive, List<Expr.Const> negative) {}

  /** One column name used by the mapping, with where it was written. */
  record ColumnUse(String name, YNode at) {}

  /**
   * A mapped row: the context to decide on, the outcome (null when the population has none) and,
   * when there is an outcome, the raw cells of the columns the mapping reads (the fidelity report's
   * baselines).
   */
  record Mapped(CustomerContext context, Boolean outcome, Map<String, Object> columns) {}

  final String file;
  final String format;
  final char delimiter;
  final Instant asOf;
  final Expr id;
  final Outcome outcome;
  final List<ColumnRule> columns;
  final Map<String, Expr> derive;
  final Map<String, Expr> scalars;
  final Map<String, Spec> objects;
  final Map<String, List<Spec>> lists;
  final Map<Channel, Expr> consent;
  final Spec interaction;
  final List<ColumnUse> uses;
  final List<ColumnUse> refs;

  /**
   * The columns the mapping reads, without the id and the outcome: each is a baseline for the
   * indices.
   */
  final List<String> baselineColumns;

  Mapping(
      String file,
      String format,
      char delimiter,
      Instant asOf,
      Expr id,
      Outcome outcome,
      List<ColumnRule> columns,
      Map<String, Expr> derive,
      Map<String, Expr> scalars,
      Map<String, Spec> objects,
      Map<String, List<Spec>> lists,
      Map<Channel, Expr> consent,
      Spec interaction,
      List<ColumnUse> uses,
      List<ColumnUse> refs) {
    this.file = file;
    this.format = format;
    this.delimiter = delimiter;
    this.asOf = asOf;
    this.id = id;
    this.outcome = outcome;
    this.columns = List.copyOf(columns);
    this.derive = Map.copyOf(derive);
    this.scalars = Map.copyOf(scalars);
    this.objects = Map.copyOf(objects);
    this.lists = Map.copyOf(lists);
    this.consent = consent.isEmpty() ? Map.of() : new EnumMap<>(consent);
    this.interaction = interaction;
    this.uses = List.copyOf(uses);
    this.refs = List.copyOf(refs);
    java.util.Set<String> excluded = new java.util.HashSet<>();
    if (id.column() != null) {
      excluded.add(id.column());
    }
    if (outcome != null && outcome.value().column() != null) {
      excluded.add(outcome.value().column());
    }
    java.util.Set<String> baseline = new java.util.TreeSet<>();
    for (ColumnUse u : uses) {
      if (!excluded.contains(u.name())) {
        baseline.add(u.name());
      }
    }
    this.baselineColumns = List.copyOf(baseline);
  }

  /**
   * Which columns feed which part of the profile ({@code csat}, {@code loyalty}, {@code
   * channels}..., and {@code interaction}), following derived values to the columns they read.
   * Sorted, for reports.
   */
  Map<String, java.util.SortedSet<String>> feeds() {
    Map<String, java.util.Set<String>> derivedColumns = new java.util.HashMap<>();
    Map<String, java.util.Set<String>> derivedRefs = new java.util.HashMap<>();
    Map<String, java.util.SortedSet<String>> out = new java.util.TreeMap<>();
    Map<String, java.util.Set<String>> fieldRefs = new java.util.HashMap<>();
    for (ColumnUse u : uses) {
      String[] at = section(u.at().path);
      if (at[0].equals("derive")) {
        derivedColumns.computeIfAbsent(at[1], k -> new java.util.HashSet<>()).add(u.name());
      } else if (at[0].equals("profile") || at[0].equals("interaction")) {
        out.computeIfAbsent(
                at[0].equals("profile") ? at[1] : "interaction", k -> new java.util.TreeSet<>())
            .add(u.name());
      }
    }
    for (ColumnUse r : refs) {
      String[] at = section(r.at().path);
      if (at[0].equals("derive")) {
        derivedRefs.computeIfAbsent(at[1], k -> new java.util.HashSet<>()).add(r.name());
      } else if (at[0].equals("profile") || at[0].equals("interaction")) {
        fieldRefs
            .computeIfAbsent(
                at[0].equals("profile") ? at[1] : "interaction", k -> new java.util.HashSet<>())
            .add(r.name());
      }
    }
    fieldRefs.forEach(
        (field, names) -> {
          java.util.SortedSet<String> cols =
              out.computeIfAbsent(field, k -> new java.util.TreeSet<>());
          java.util.Deque<String> todo = new java.util.ArrayDeque<>(names);
          java.util.Set<String> seen = new java.util.HashSet<>();
          while (!todo.isEmpty()) {
            String d = todo.pop();
            if (seen.add(d)) {
              cols.addAll(derivedColumns.getOrDefault(d, java.util.Set.of()));
              todo.addAll(derivedRefs.getOrDefault(d, java.util.Set.of()));
            }
          }
        });
    return out;
  }

  /**
   * "profile.csat[0].value" gives {"profile", "csat"}; "derive.internet.when" gives {"derive",
   * "internet"}.
   */
  private static String[] section(String path) {
    String p = path == null ? "" : path;
    int dot = p.indexOf('.');
    String head = dot < 0 ? p : p.substring(0, dot);
    String rest = dot < 0 ? "" : p.substring(dot + 1);
    int end = 0;
    while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
      end++;
    }
    return new String[] {head, rest.substring(0, end)};
  }

  /**
   * Checks every column the mapping names is in the file's header, naming the mapping line of each
   * that is not.
   */
  void checkHeader(Collection<String> header, String dataFile) {
    List<Problem> problems = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ColumnUse u : uses) {
      if (!header.contains(u.name()) && seen.add(u.name())) {
        problems.add(
            u.at()
                .problem(
                    "column '"
                        + u.name()
                        + "' is not in the header of "
                        + dataFile
                        + suggestion(u.name(), header)));
      }
    }
    if (!problems.isEmpty()) {
      throw new SimulationException("the mapping does not fit the data", problems);
    }
  }

  private static String suggestion(String name, Collection<String> header) {
    for (String h : header) {
      if (h.equalsIgnoreCase(name) || h.replace(" ", "").equalsIgnoreCase(name.replace(" ", ""))) {
        return " (did you mean '" + h + "'?)";
      }
    }
    return "; it has " + String.join(", ", header);
  }

  /** Maps one row, or throws {@link RowException} naming the column at fault. */
  Mapped map(Row row, long seed) {
    for (ColumnRule c : columns) {
      check(c, row.get(c.name()));
    }
    Scope s = new Scope(row, seed, derive);
    Object idValue = id.eval(s);
    if (idValue == null) {
      throw new RowException(id.column(), "the customer id is blank");
    }
    s.customerId = Values.text(idValue);
    CustomerProfile profile = profile(s);
    Interaction live = null;
    if (interaction != null && holds(interaction, s)) {
      live = interaction(s);
    }
    Boolean out = null;
    if (outcome != null) {
      out = outcome(s);
    }
    Map<String, Object> cells = Map.of();
    if (out != null) {
      cells = new java.util.HashMap<>();
      for (String c : baselineColumns) {
        Object v = row.get(c);
        if (v != null) {
          cells.put(c, v);
        }
      }
    }
    return new Mapped(new CustomerContext(s.customerId, asOf, profile, live, null), out, cells);
  }

  private static void check(ColumnRule c, Object v) {
    if (v == null) {
      if (c.required()) {
        throw new RowException(c.name(), "is blank but the mapping requires it");
      }
      return;
    }
    switch (c.type()) {
      case "integer" -> {
        Double d = Values.number(v, c.name(), "type integer");
        if (d != Math.rint(d)) {
          throw new RowException(c.name(), "'" + v + "' is not a whole number");
        }
        bounds(c, d);
      }
      case "number" -> bounds(c, Values.number(v, c.name(), "type number"));
      case "boolean" -> Values.bool(v, c.name(), "type boolean");
      default -> {}
    }
    if (c.values() != null) {
      for (Expr.Const k : c.values()) {
        if (Values.same(v, k.value(), k.text())) {
          return;
        }
      }
      throw new RowException(
          c.name(),
          "'"
              + Values.text(v)
              + "' is not one of "
              + c.values().stream().map(Expr.Const::text).toList());
    }
  }

  private static void bounds(ColumnRule c, double d) {
    if (c.min() != null && d < c.min()) {
      throw new RowException(
          c.name(), Values.text(d) + " is below the minimum " + Values.text(c.min()));
    }
    if (c.max() != null && d > c.max()) {
      throw new RowException(
          c.name(), Values.text(d) + " is above the maximum " + Values.text(c.max()));
    }
  }

  private Boolean outcome(Scope s) {
    Object v = outcome.value().eval(s);
    if (v == null) {
      return null;
    }
    for (Expr.Const k : outcome.positive()) {
      if (Values.same(v, k.value(), k.text())) {
        return true;
      }
    }
    if (outcome.negative() == null) {
      return false;
    }
    for (Expr.Const k : outcome.negative()) {
      if (Values.same(v, k.value(), k.text())) {
        return false;
      }
    }
    throw new RowException(
        outcome.value().column(),
        "outcome: '"
            + Values.text(v)
            + "' is neither a positive "
            + texts(outcome.positive())
            + " nor a negative "
            + texts(outcome.negative())
            + " value");
  }

  private static List<String> texts(List<Expr.Const> cs) {
    return cs.stream().map(Expr.Const::text).toList();
  }

  private CustomerProfile profile(Scope s) {
    Spec npsSpec = objects.get("nps");
    Score nps = null;
    if (npsSpec != null && holds(npsSpec, s)) {
      Integer v = integer(npsSpec, "value", s);
      if (v != null) {
        nps = new Score(at(npsSpec, "daysAgo", s, 0), v);
      }
    }
    Loyalty loyalty = null;
    Spec loy = objects.get("loyalty");
    if (loy != null && holds(loy, s)) {
      Boolean member = bool(loy, "member", s);
      loyalty =
          new Loyalty(Boolean.TRUE.equals(member), integer(loy, "points", s), text(loy, "tier", s));
    }
    Community community = null;
    Spec com = objects.get("community");
    if (com != null && holds(com, s)) {
      community =
          new Community(
              integer(com, "posts90d", s),
              integer(com, "follows", s),
              at(com, "lastActivityDaysAgo", s, 0));
    }
    QuietHours quiet = null;
    Spec qh = objects.get("quietHours");
    if (qh != null && holds(qh, s)) {
      quiet = quietHours(qh, s);
    }
    Map<Channel, Boolean> consents = new EnumMap<>(Channel.class);
    consent.forEach(
        (ch, e) -> {
          Boolean b = Values.bool(e.eval(s), e.column(), "profile.consent." + ch);
          if (b != null) {
            consents.put(ch, b);
          }
        });
    Double lastPurchaseDays =
        number(scalars.get("lastPurchaseDaysAgo"), s, "profile.lastPurchaseDaysAgo");
    return new CustomerProfile(
        scores("csat", s),
        scores("ces", s),
        nps,
        complaints(s),
        failures(s),
        channels(s),
        products(s),
        integer(scalars.get("purchases90d"), s, "profile.purchases90d"),
        lastPurchaseDays == null
            ? null
            : before(lastPurchaseDays, null, "profile.lastPurchaseDaysAgo"),
        integer(scalars.get("referrals12m"), s, "profile.referrals12m"),
        integer(scalars.get("reviews12m"), s, "profile.reviews12m"),
        loyalty,
        community,
        consents,
        quiet,
        enumOf(Channel.class, scalars.get("preferredChannel"), s, "profile.preferredChannel"),
        enumOf(
            Proficiency.class, scalars.get("digitalProficiency"), s, "profile.digitalProficiency"),
        number(scalars.get("annualValue"), s, "profile.annualValue"),
        integer(scalars.get("tenureMonths"), s, "profile.tenureMonths"),
        outreach(s));
  }

  private Interaction interaction(Scope s) {
    Spec i = interaction;
    Channel ch = enumOf(Channel.class, i.field("channel"), s, i.path() + ".channel");
    if (ch == null) {
      return null;
    }
    Sentiment sentiment = enumOf(Sentiment.class, i.field("sentiment"), s, i.path() + ".sentiment");
    Boolean resolved = bool(i, "justResolved", s);
    return new Interaction(
        ch,
        text(i, "reason", s),
        sentiment,
        Boolean.TRUE.equals(resolved),
        integer(i, "rating", s),
        text(i, "product", s),
        asOf);
  }

  private QuietHours quietHours(Spec qh, Scope s) {
    String start = text(qh, "start", s);
    String end = text(qh, "end", s);
    if (start == null || end == null) {
      return null;
    }
    String zone = text(qh, "zone", s);
    try {
      return new QuietHours(
          LocalTime.parse(start),
          LocalTime.parse(end),
          zone == null ? ZoneId.of("UTC") : ZoneId.of(zone));
    } catch (DateTimeException e) {
      throw new RowException(null, qh.path() + ": " + e.getMessage());
    }
  }

  private List<Score> scores(String list, Scope s) {
    List<Score> out = new ArrayList<>();
    for (Spec spec : lists.getOrDefault(list, List.of())) {
      each(
          spec,
          s,
          () -> {
            Integer v = integer(spec, "value", s);
            if (v != null) {
              out.add(new Score(at(spec, "daysAgo", s, shift(spec, s)), v));
            }
          });
    }
    return out;
  }

  private List<Complaint> complaints(Scope s) {
    List<Complaint> out = new ArrayList<>();
    List<Spec> specs = lists.getOrDefault("complaints", List.of());
    for (int k = 0; k < specs.size(); k++) {
      Spec spec = specs.get(k);
      int listIndex = k;
      each(
          spec,
          s,
          () -> {
            Severity severity =
                enumOf(Severity.class, spec.field("severity"), s, spec.path() + ".severity");
            if (severity == null) {
              return;
            }
            double shift = shift(spec, s);
            Instant opened = at(spec, "openedDaysAgo", s, shift);
            Instant resolved =
                spec.field("resolvedDaysAgo") == null
                    ? null
                    : at(spec, "resolvedDaysAgo", s, shift);
            if (resolved != null && resolved.isBefore(opened)) {
              throw new RowException(
                  spec.field("resolvedDaysAgo").column(),
                  spec.path() + ": resolved before it was opened");
            }
            String id = text(spec, "id", s);
            out.add(
                new Complaint(
                    id == null ? "C" + (listIndex + 1) + "-" + (s.item + 1) : id,
                    opened,
                    resolved,
                    severity,
                    text(spec, "product", s),
                    text(spec, "topic", s)));
          });
    }
    return out;
  }

  private List<FailedInteraction> failures(Scope s) {
    List<FailedInteraction> out = new ArrayList<>();
    for (Spec spec : lists.getOrDefault("failedInteractions", List.of())) {
      each(
          spec,
          s,
          () -> {
            Channel ch = enumOf(Channel.class, spec.field("channel"), s, spec.path() + ".channel");
            if (ch != null) {
              out.add(
                  new FailedInteraction(
                      at(spec, "daysAgo", s, shift(spec, s)),
                      ch,
                      text(spec, "reason", s),
                      text(spec, "product", s)));
            }
          });
    }
    return out;
  }

  private List<ChannelUsage> channels(Scope s) {
    List<ChannelUsage> out = new ArrayList<>();
    for (Spec spec : lists.getOrDefault("channels", List.of())) {
      each(
          spec,
          s,
          () -> {
            Channel ch = enumOf(Channel.class, spec.field("channel"), s, spec.path() + ".channel");
            if (ch != null) {
              Instant last =
                  spec.field("lastDaysAgo") == null
                      ? null
                      : at(spec, "lastDaysAgo", s, shift(spec, s));
              out.add(
                  new ChannelUsage(
                      ch,
                      integer(spec, "interactions90d", s),
                      last,
                      spec.field("problemContacts90d") == null
                          ? null
                          : integer(spec, "problemContacts90d", s)));
            }
          });
    }
    return out;
  }

  private List<ProductHolding> products(Scope s) {
    List<ProductHolding> out = new ArrayList<>();
    for (Spec spec : lists.getOrDefault("products", List.of())) {
      each(
          spec,
          s,
          () -> {
            String product = text(spec, "product", s);
            if (product != null) {
              Instant since =
                  spec.field("sinceDaysAgo") == null
                      ? null
                      : at(spec, "sinceDaysAgo", s, shift(spec, s));
              out.add(new ProductHolding(product, since));
            }
          });
    }
    return out;
  }

  private List<OutreachSent> outreach(Scope s) {
    List<OutreachSent> out = new ArrayList<>();
    for (Spec spec : lists.getOrDefault("outreach", List.of())) {
      each(
          spec,
          s,
          () -> {
            String action = text(spec, "actionId", s);
            Channel ch = enumOf(Channel.class, spec.field("channel"), s, spec.path() + ".channel");
            if (action != null && ch != null) {
              out.add(new OutreachSent(at(spec, "daysAgo", s, shift(spec, s)), action, ch));
            }
          });
    }
    return out;
  }

  /** Runs {@code body} once per repeat of the item when its condition holds. */
  private static void each(Spec spec, Scope s, Runnable body) {
    if (!holds(spec, s)) {
      return;
    }
    int times = 1;
    if (spec.repeat() != null) {
      Integer r =
          Values.integer(spec.repeat().eval(s), spec.repeat().column(), spec.path() + ".repeat");
      times = r == null ? 0 : Math.max(0, Math.min(r, 1000));
    }
    int saved = s.item;
    try {
      for (int i = 0; i < times; i++) {
        s.item = i;
        body.run();
      }
    } finally {
      s.item = saved;
    }
  }

  private static double shift(Spec spec, Scope s) {
    if (spec.everyDays() == null || s.item == 0) {
      return 0;
    }
    Double every =
        Values.number(
            spec.everyDays().eval(s), spec.everyDays().column(), spec.path() + ".everyDays");
    return every == null ? 0 : every * s.item;
  }

  private static boolean holds(Spec spec, Scope s) {
    return spec.when() == null || spec.when().test(s);
  }

  private Instant at(Spec spec, String field, Scope s, double shiftDays) {
    Expr e = spec.field(field);
    if (e == null) {
      return asOf.minusSeconds(Math.round(shiftDays * 86_400));
    }
    Double days = Values.number(e.eval(s), e.column(), spec.path() + "." + field);
    return before(days == null ? 0 : days + shiftDays, e.column(), spec.path() + "." + field);
  }

  private Instant before(double days, String column, String target) {
    if (days < 0) {
      throw new RowException(
          column, target + ": " + Values.text(days) + " days ago is in the future");
    }
    return asOf.minusSeconds(Math.round(days * 86_400));
  }

  private static Integer integer(Spec spec, String field, Scope s) {
    return integer(spec.field(field), s, spec.path() + "." + field);
  }

  private static Boolean bool(Spec spec, String field, Scope s) {
    Expr e = spec.field(field);
    return e == null ? null : Values.bool(e.eval(s), e.column(), spec.path() + "." + field);
  }

  private static String text(Spec spec, String field, Scope s) {
    Expr e = spec.field(field);
    return e == null ? null : Values.text(e.eval(s));
  }

  private static Integer integer(Expr e, Scope s, String target) {
    return e == null ? null : Values.integer(e.eval(s), e.column(), target);
  }

  private static Double number(Expr e, Scope s, String target) {
    return e == null ? null : Values.number(e.eval(s), e.column(), target);
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, Expr e, Scope s, String target) {
    return e == null ? null : Values.enumOf(type, e.eval(s), e.column(), target);
  }
}
