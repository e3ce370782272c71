use crate::inventory::{Input, InputProblem, Sink};
pub fn parse_requirements(input: &Input, _sink: &mut dyn Sink) -> Result<(), InputProblem> {
    Err(InputProblem::file(&input.display, "not yet", ""))
}
