//! Pipeline: the ordered stages deals move through. Read-only.

use serde::{Deserialize, Serialize};

use super::common::{is_empty, Custom};

/// Whether a stage is still open, or closes a deal as won or lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StageStatus {
    /// Deals in this stage are open.
    Open,
    /// Deals in this stage are closed and won.
    Won,
    /// Deals in this stage are closed and lost.
    Lost,
}

impl StageStatus {
    /// The status of a stage from its closed and won flags.
    pub fn from_flags(is_closed: bool, is_won: bool) -> Self {
        match (is_closed, is_won) {
            (false, _) => StageStatus::Open,
            (true, true) => StageStatus::Won,
            (true, false) => StageStatus::Lost,
        }
    }
}

/// One stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PipelineStage {
    /// The provider's id of the stage.
    pub id: String,
    /// The name users see.
    pub label: Option<String>,
    /// The value a deal's `stage` holds when it is in this stage.
    pub value: Option<String>,
    /// Position in the pipeline, ascending.
    pub order: Option<i64>,
    /// Default probability of winning a deal in this stage, in percent.
    pub probability: Option<f64>,
    /// Open, won or lost.
    pub status: Option<StageStatus>,
    /// Whether new deals can enter the stage.
    pub is_active: Option<bool>,
    /// Org-specific fields mapped under `custom`.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub custom: Custom,
}

/// A pipeline and its stages, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    /// The pipeline's id.
    pub id: String,
    /// The pipeline's name.
    pub name: String,
    /// The stages, by ascending `order`.
    pub stages: Vec<PipelineStage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_status_from_flags() {
        assert_eq!(StageStatus::from_flags(false, false), StageStatus::Open);
        assert_eq!(StageStatus::from_flags(false, true), StageStatus::Open);
        assert_eq!(StageStatus::from_flags(true, true), StageStatus::Won);
        assert_eq!(StageStatus::from_flags(true, false), StageStatus::Lost);
    }
}
