//! The HTML compliance report: one self-contained file for an auditor.
//!
//! Everything is inline (CSS in the template, charts as SVG drawn in
//! [`charts`]) and nothing is loaded: the file opens offline, from an
//! email attachment or an archive, and prints to PDF as it shows. The
//! template is rendered by minijinja with HTML auto-escaping, so every
//! value from the report (app names, paths, waiver reasons) is escaped;
//! only the charts, which escape their own labels, go in as markup.

pub mod charts;
pub mod view;

use std::io::{self, Write};

use minijinja::value::{Serde, Value};
use minijinja::{Environment, UndefinedBehavior, context};

use super::Render;
use crate::report::Report;

/// The template's name: its `.html` ending turns auto-escaping on.
const TEMPLATE: &str = "report.html";

pub struct Html;

impl Render for Html {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render_string(report)?.as_bytes())
    }
}

fn render_string(report: &Report) -> io::Result<String> {
    let mut env = Environment::new();
    // A misspelt field fails the render (and the tests) instead of
    // printing nothing; an absent optional field still reads as false.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.add_filter("counted", view::counted);
    env.add_template(TEMPLATE, include_str!("report.html"))
        .map_err(io::Error::other)?;
    let view = view::View::of(report);
    let devices_per_product: Vec<(String, u64)> = report
        .summary
        .devices
        .by_product
        .iter()
        .map(|(product, n)| (product.clone(), *n))
        .collect();
    let charts = context! {
        by_policy => Value::from_safe_string(charts::bar_chart(
            "chart-policy",
            "Findings per policy",
            &view::findings_per_policy(report),
        )),
        by_product => Value::from_safe_string(charts::bar_chart(
            "chart-product",
            "Devices affected per product",
            &devices_per_product,
        )),
        by_kind => Value::from_safe_string(charts::bar_chart(
            "chart-kind",
            "Findings per evidence kind",
            &view::findings_per_kind(report),
        )),
    };
    env.get_template(TEMPLATE)
        .and_then(|t| t.render(context! { r => Serde(&view), charts => charts }))
        .map_err(io::Error::other)
}
