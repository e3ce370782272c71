//! Bar charts as inline SVG, drawn in Rust: a report that must load
//! nothing cannot use a charting script. Each chart carries a `<title>`
//! and `<desc>` and writes its numbers as text beside the bars, so it
//! reads without colour, in print and to a screen reader.

use std::fmt::Write as _;

use crate::report::render::escape::neutralise;

const WIDTH: u32 = 720;
const LABEL_WIDTH: u32 = 300;
const ROW: u32 = 24;
const BAR: u32 = 16;
/// Characters of a label drawn; the whole label is in the row's `<title>`.
const LABEL_CHARS: usize = 44;

/// `text` safe inside SVG text and attributes (after neutralising the
/// characters that make text read differently from what it is).
pub fn xml_escape(text: &str) -> String {
    let text = neutralise(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn shorten(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_string();
    }
    let mut short: String = label.chars().take(LABEL_CHARS - 1).collect();
    short.push('…');
    short
}

/// A horizontal bar chart of `rows` (label, value), or a sentence saying
/// there is nothing to chart. `id` makes the `aria-labelledby` ids unique.
pub fn bar_chart(id: &str, title: &str, rows: &[(String, u64)]) -> String {
    let mut svg = String::new();
    if rows.is_empty() {
        let _ = write!(svg, "<p class=\"empty\">{}: none.</p>", xml_escape(title));
        return svg;
    }
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let height = ROW * u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW) + 8;
    let bar_room = WIDTH - LABEL_WIDTH - 60;
    let desc = rows
        .iter()
        .map(|(label, n)| format!("{label}: {n}"))
        .collect::<Vec<_>>()
        .join("; ");
    let id = xml_escape(id);
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" \
         height=\"{height}\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        xml_escape(title),
        xml_escape(&desc)
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = ROW * u32::try_from(i).unwrap_or(0) + 4;
        // At least a sliver, so a one among thousands still shows.
        let len = u32::try_from(u64::from(bar_room) * n / max)
            .unwrap_or(bar_room)
            .max(2);
        let _ = write!(
            svg,
            "<g><title>{full}: {n}</title>\
             <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{short}</text>\
             <rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{len}\" height=\"{BAR}\"></rect>\
             <text x=\"{vx}\" y=\"{ty}\">{n}</text></g>",
            full = xml_escape(label),
            short = xml_escape(&shorten(label)),
            lx = LABEL_WIDTH - 8,
            ty = y + BAR - 3,
            vx = LABEL_WIDTH + len + 6,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_values_written_as_text() {
        let svg = bar_chart(
            "c",
            "Findings",
            &[("<script>x</script>".into(), 3), ("b&\"c".into(), 1)],
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;x&lt;/script&gt;: 3"), "{svg}");
        assert!(svg.contains("b&amp;&quot;c"), "{svg}");
        assert!(
            svg.contains("<title id=\"c-title\">Findings</title>"),
            "{svg}"
        );
        assert!(
            svg.contains(">3</text>") && svg.contains(">1</text>"),
            "{svg}"
        );
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let svg = bar_chart("c", "t", &[("a".into(), 10), ("b".into(), 5)]);
        assert!(svg.contains("width=\"360\" height=\"16\""), "{svg}");
        assert!(svg.contains("width=\"180\" height=\"16\""), "{svg}");
    }

    #[test]
    fn nothing_to_chart_is_said_in_words() {
        assert_eq!(
            bar_chart("c", "Devices", &[]),
            "<p class=\"empty\">Devices: none.</p>"
        );
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        let long = "x".repeat(60);
        assert_eq!(shorten(&long).chars().count(), LABEL_CHARS);
        assert!(shorten(&long).ends_with('…'));
        assert_eq!(shorten("short"), "short");
    }
}
