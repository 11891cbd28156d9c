package io.nextbest.simulator;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Inline SVG charts for the HTML report: grouped bars (vertical and horizontal), stacked shares and
 * lines. Drawn on the server as plain markup, so the page needs no script or network to show them.
 */
final class Svg {
  static final String[] SIDE_COLOURS = {"#4e79a7", "#f28e2b"};
  static final String[] QUADRANT_COLOURS = {"#e15759", "#edc948", "#b07aa1", "#59a14f"};

  private Svg() {}

  /** Vertical grouped bars: one group per category, one bar per series. */
  static String bars(
      String id,
      String title,
      List<String> categories,
      List<String> series,
      double[][] values,
      String[] colours,
      DoubleFunction<String> label) {
    int w = 720;
    int h = 300;
    int left = 60;
    int right = 20;
    int top = 40;
    int bottom = 50;
    double max = niceMax(max(values));
    StringBuilder sb = open(id, title, w, h);
    axisY(sb, left, top, w - right, h - bottom, max, label);
    double groupW = (double) (w - left - right) / Math.max(1, categories.size());
    double barW = Math.min(48, groupW * 0.8 / Math.max(1, series.size()));
    for (int c = 0; c < categories.size(); c++) {
      double gx = left + c * groupW + (groupW - barW * series.size()) / 2;
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][c];
        double bh = max == 0 ? 0 : (h - top - bottom) * v / max;
        double x = gx + s * barW;
        double y = h - bottom - bh;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s</title></rect>",
                x,
                y,
                barW - 2,
                bh,
                colours[s % colours.length],
                esc(categories.get(c)),
                esc(series.get(s)),
                esc(label.apply(v))));
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" class=\"val\" text-anchor=\"middle\">%s</text>",
                x + (barW - 2) / 2,
                y - 3,
                esc(label.apply(v))));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"cat\">%s</text>",
              left + c * groupW + groupW / 2,
              h - bottom + 16,
              esc(categories.get(c))));
    }
    legend(sb, series, colours, left, h - 14);
    return close(sb);
  }

  /** Horizontal grouped bars, for long labels (actions, rules). */
  static String hbars(
      String id,
      String title,
      List<String> categories,
      List<String> series,
      double[][] values,
      String[] colours,
      DoubleFunction<String> label) {
    int w = 720;
    int left = 250;
    int right = 70;
    int top = 36;
    int rowH = 8 + 14 * series.size();
    int h = top + rowH * Math.max(1, categories.size()) + 36;
    double max = niceMax(max(values));
    StringBuilder sb = open(id, title, w, h);
    for (int c = 0; c < categories.size(); c++) {
      double y0 = top + c * rowH;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"cat\">%s</text>",
              left - 6,
              y0 + rowH / 2.0 + 4,
              esc(shorten(categories.get(c), 38))));
      for (int s = 0; s < series.size(); s++) {
        double v = values[s][c];
        double bw = max == 0 ? 0 : (w - left - right) * v / max;
        double y = y0 + 4 + s * 14;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\"><title>%s, %s: %s</title></rect>",
                left,
                y,
                bw,
                colours[s % colours.length],
                esc(categories.get(c)),
                esc(series.get(s)),
                esc(label.apply(v))));
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" class=\"val\">%s</text>",
                left + bw + 4,
                y + 10,
                esc(label.apply(v))));
      }
    }
    legend(sb, series, colours, left, h - 12);
    return close(sb);
  }

  /** One column per x, stacked by share of its total. */
  static String stacked(
      String id,
      String title,
      List<String> xs,
      List<String> stacks,
      double[][] values,
      String[] colours) {
    int w = 720;
    int h = 300;
    int left = 50;
    int right = 20;
    int top = 40;
    int bottom = 50;
    StringBuilder sb = open(id, title, w, h);
    axisY(sb, left, top, w - right, h - bottom, 100, v -> Math.round(v) + "%");
    double colW = (double) (w - left - right) / Math.max(1, xs.size());
    for (int x = 0; x < xs.size(); x++) {
      double total = 0;
      for (double[] s : values) {
        total += s[x];
      }
      double y = h - bottom;
      for (int s = 0; s < stacks.size(); s++) {
        double share = total == 0 ? 0 : values[s][x] / total;
        double bh = (h - top - bottom) * share;
        y -= bh;
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s (%s)</title></rect>",
                left + x * colW + 1,
                y,
                Math.max(1, colW - 2),
                bh,
                colours[s % colours.length],
                esc(xs.get(x)),
                esc(stacks.get(s)),
                count(values[s][x]),
                percent(share)));
      }
      if (xs.size() <= 26 || x % (xs.size() / 13 + 1) == 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"cat\">%s</text>",
                left + x * colW + colW / 2,
                h - bottom + 16,
                esc(xs.get(x))));
      }
    }
    legend(sb, stacks, colours, left, h - 14);
    return close(sb);
  }

  /** One line per series over the xs. */
  static String lines(
      String id,
      String title,
      List<String> xs,
      List<String> series,
      double[][] values,
      String[] colours,
      DoubleFunction<String> label) {
    int w = 720;
    int h = 300;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 50;
    double max = niceMax(max(values));
    StringBuilder sb = open(id, title, w, h);
    axisY(sb, left, top, w - right, h - bottom, max, label);
    double step = xs.size() <= 1 ? 0 : (double) (w - left - right) / (xs.size() - 1);
    for (int s = 0; s < series.size(); s++) {
      StringBuilder pts = new StringBuilder();
      for (int x = 0; x < xs.size(); x++) {
        double px = left + x * step;
        double py = h - bottom - (max == 0 ? 0 : (h - top - bottom) * values[s][x] / max);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        sb.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s, %s: %s</title></circle>",
                px,
                py,
                colours[s % colours.length],
                esc(series.get(s)),
                esc(xs.get(x)),
                esc(label.apply(values[s][x]))));
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
              colours[s % colours.length],
              pts.toString().strip()));
    }
    for (int x = 0; x < xs.size(); x++) {
      if (xs.size() <= 26 || x % (xs.size() / 13 + 1) == 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"cat\">%s</text>",
                left + x * step,
                h - bottom + 16,
                esc(xs.get(x))));
      }
    }
    legend(sb, series, colours, left, h - 14);
    return close(sb);
  }

  private static StringBuilder open(String id, String title, int w, int h) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg id=\"%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\"><title>%s</title>",
            esc(id),
            w,
            h,
            w,
            h,
            esc(title),
            esc(title)));
    sb.append(
        String.format(
            Locale.ROOT, "<text x=\"%d\" y=\"20\" class=\"title\">%s</text>", 10, esc(title)));
    return sb;
  }

  private static String close(StringBuilder sb) {
    return sb.append("</svg>").toString();
  }

  private static void axisY(
      StringBuilder sb, int x0, int y0, int x1, int y1, double max, DoubleFunction<String> label) {
    int ticks = 5;
    for (int i = 0; i <= ticks; i++) {
      double v = max * i / ticks;
      double y = y1 - (double) (y1 - y0) * i / ticks;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>",
              x0,
              y,
              x1,
              y));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" class=\"tick\">%s</text>",
              x0 - 4,
              y + 4,
              esc(label.apply(v))));
    }
  }

  private static void legend(
      StringBuilder sb, List<String> series, String[] colours, int x, int y) {
    int dx = x;
    for (int s = 0; s < series.size(); s++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"legend\">%s</text>",
              dx,
              y - 9,
              colours[s % colours.length],
              dx + 14,
              y,
              esc(series.get(s))));
      dx += 24 + 7 * series.get(s).length();
    }
  }

  private static double max(double[][] values) {
    double m = 0;
    for (double[] row : values) {
      for (double v : row) {
        m = Math.max(m, v);
      }
    }
    return m;
  }

  /** The smallest 1, 2 or 5 times a power of ten at or above {@code v}. */
  static double niceMax(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  static String count(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
