//! Every report format carries a finding's legal status and deadline
//! (issue 19): the demo policy's phase-out (2026-03-01) and its enjoined
//! app (2026-04-03), rendered in each format.

use crate::timeline::scan_as_of;

/// `short` ends a line with the phase-out's end and the next deadline, or
/// with the event that makes the finding not enforceable.
#[test]
fn short_names_the_phase_out_and_the_injunction() {
    scan_as_of("2026-03-01", &["--format", "short"])
        .expect_code(0)
        .expect_contains("endpoint api.demo-chat.example (product demo-chat) [phase-out until 2026-08-27; stop-buying by 2026-05-01, 61 days left]");
    scan_as_of("2026-04-03", &["--format", "short"])
        .expect_code(0)
        .expect_contains("advisory xx-demo-2026-chat: app \"Demo Chat\" by Demo Labs Inc. (product demo-chat) [not enforceable: enjoined since 2026-04-03 by Demo District Court 1:26-cv-00001]");
    scan_as_of("2026-08-27", &["--format", "short"]).expect_lacks("phase-out");
}
