package dev.invoka.chaos;

import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the HTML report (no scripts, no CDN): a line chart over time with shaded
 * fault bands, and a stacked bar histogram. Pure: data in, markup out.
 */
final class Svg {

    static final int W = 900;
    static final int H = 260;
    private static final int L = 60;
    private static final int R = 20;
    private static final int T = 44;
    private static final int B = 40;

    /** A named line; null values are gaps. */
    record Series(String name, String color, List<Double> values) {}

    /** A shaded time band (seconds) with a label, e.g. a node kill. */
    record Band(double fromS, double toS, String label, String color) {}

    /** A bar of the histogram: its label and its stacked counts (one per colour). */
    record Bar(String label, int[] counts) {}

    private Svg() {}

    static String lineChart(String title, String yLabel, List<Double> xs, List<Series> series, List<Band> bands) {
        double xMax = xs.isEmpty() ? 1 : Math.max(1, xs.get(xs.size() - 1));
        double yMax = 1;
        for (Series s : series) for (Double v : s.values()) if (v != null) yMax = Math.max(yMax, v);
        yMax = niceCeil(yMax);
        StringBuilder sb = open(title);
        for (Band b : bands) {
            double x0 = x(b.fromS(), xMax);
            double x1 = Math.max(x0 + 2, x(Math.min(b.toS(), xMax), xMax));
            sb.append(f("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' opacity='0.25'><title>%s</title></rect>",
                    x0, T, x1 - x0, H - T - B, b.color(), esc(b.label())));
        }
        axes(sb, xMax, yMax, "seconds", yLabel);
        int legendX = L + 10;
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < xs.size() && i < s.values().size(); i++) {
                Double v = s.values().get(i);
                if (v == null) {
                    pen = false;
                    continue;
                }
                path.append(pen ? " L" : " M").append(f("%.1f %.1f", x(xs.get(i), xMax), y(v, yMax)));
                pen = true;
            }
            sb.append(f("<path d='%s' fill='none' stroke='%s' stroke-width='1.5'/>", path.toString().trim(), s.color()));
            sb.append(f("<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d'>%s</text>",
                    legendX, T - 24, s.color(), legendX + 14, T - 15, esc(s.name())));
            legendX += 20 + 8 * s.name().length();
        }
        return sb.append("</svg>").toString();
    }

    static String histogram(String title, String xLabel, List<Bar> bars, String[] colors, String[] names) {
        int yMaxRaw = 1;
        for (Bar b : bars) {
            int sum = 0;
            for (int c : b.counts()) sum += c;
            yMaxRaw = Math.max(yMaxRaw, sum);
        }
        double yMax = niceCeil(yMaxRaw);
        StringBuilder sb = open(title);
        axes(sb, 0, yMax, xLabel, "samples");
        double slot = (W - L - R) / (double) Math.max(1, bars.size());
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double base = H - B;
            for (int c = 0; c < b.counts().length; c++) {
                double h = b.counts()[c] / yMax * (H - T - B);
                sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s: %d</title></rect>",
                        L + i * slot + 1, base - h, Math.max(1, slot - 2), h, colors[c], esc(b.label()), b.counts()[c]));
                base -= h;
            }
            if (bars.size() <= 20 || i % (bars.size() / 10 + 1) == 0) {
                sb.append(f("<text x='%.1f' y='%d' font-size='10' text-anchor='middle'>%s</text>",
                        L + (i + 0.5) * slot, H - B + 14, esc(b.label())));
            }
        }
        int legendX = L + 10;
        for (int c = 0; c < names.length; c++) {
            sb.append(f("<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d'>%s</text>",
                    legendX, T - 24, colors[c], legendX + 14, T - 15, esc(names[c])));
            legendX += 20 + 8 * names[c].length();
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(f("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' "
                + "font-size='12'><text x='%d' y='14' font-weight='bold'>%s</text>", W, H + 10, L, esc(title)));
    }

    private static void axes(StringBuilder sb, double xMax, double yMax, String xLabel, String yLabel) {
        sb.append(f("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, H - B, W - R, H - B));
        sb.append(f("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, T, L, H - B));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            double yy = y(v, yMax);
            sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", L, yy, W - R, yy));
            sb.append(f("<text x='%d' y='%.1f' text-anchor='end' font-size='10'>%s</text>", L - 4, yy + 3, num(v)));
        }
        if (xMax > 0) {
            for (int i = 0; i <= 6; i++) {
                double v = xMax * i / 6;
                sb.append(f("<text x='%.1f' y='%d' text-anchor='middle' font-size='10'>%s</text>", x(v, xMax), H - B + 14, num(v)));
            }
        }
        sb.append(f("<text x='%d' y='%d' text-anchor='middle'>%s</text>", (L + W - R) / 2, H - 4, esc(xLabel)));
        sb.append(f("<text x='12' y='%d' transform='rotate(-90 12 %d)' text-anchor='middle'>%s</text>",
                (T + H - B) / 2, (T + H - B) / 2, esc(yLabel)));
    }

    private static double x(double v, double xMax) {
        return L + v / xMax * (W - L - R);
    }

    private static double y(double v, double yMax) {
        return H - B - v / yMax * (H - T - B);
    }

    static double niceCeil(double v) {
        double m = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1e-9))));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) if (f * m >= v) return f * m;
        return 10 * m;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
