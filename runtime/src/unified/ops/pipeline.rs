//! Pipelines: the stage records of the mapped object, as one ordered pipeline.

use std::marker::PhantomData;

use futures::TryStreamExt;

use super::error::CrmError;
use super::records::ReadOnly;
use crate::unified::{Pipeline, PipelineStage, ReadMapping};
use crate::Client;

/// The id of the one pipeline Salesforce has (its opportunity stages).
pub const PIPELINE_ID: &str = "default";

/// Pipelines (read-only): Salesforce has one, made of every stage record.
pub struct Pipelines<R> {
    client: Client,
    mapper: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Pipelines<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipelines")
            .field("client", &self.client)
            .finish()
    }
}

impl<R: ReadMapping<Read = PipelineStage>> Pipelines<R> {
    pub(super) fn new(client: Client) -> Self {
        Pipelines {
            client,
            mapper: PhantomData,
        }
    }

    /// Every pipeline (one), with its stages in order.
    pub async fn list(&self) -> Result<Vec<Pipeline>, CrmError> {
        Ok(vec![self.pipeline().await?])
    }

    /// The pipeline with this id ([`PIPELINE_ID`]).
    pub async fn get(&self, id: &str) -> Result<Pipeline, CrmError> {
        if id == PIPELINE_ID {
            self.pipeline().await
        } else {
            Err(CrmError::NotFound {
                resource: "Pipeline",
                id: id.to_owned(),
            })
        }
    }

    /// The stages as records, one at a time (unordered by stage order).
    pub fn stages(&self) -> ReadOnly<R> {
        ReadOnly::new(self.client.clone())
    }

    async fn pipeline(&self) -> Result<Pipeline, CrmError> {
        let stages: Vec<PipelineStage> = self.stages().stream().try_collect().await?;
        Ok(assemble(stages))
    }
}

/// The pipeline of these stages: by `order` (stages without one last), then label.
pub(crate) fn assemble(mut stages: Vec<PipelineStage>) -> Pipeline {
    stages.sort_by(|a, b| {
        (a.order.is_none(), a.order, &a.label, &a.id).cmp(&(
            b.order.is_none(),
            b.order,
            &b.label,
            &b.id,
        ))
    });
    Pipeline {
        id: PIPELINE_ID.to_owned(),
        name: "Sales pipeline".to_owned(),
        stages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unified::{Custom, StageStatus};

    fn stage(id: &str, order: Option<i64>, label: &str) -> PipelineStage {
        PipelineStage {
            id: id.into(),
            label: Some(label.into()),
            value: Some(label.into()),
            order,
            probability: None,
            status: Some(StageStatus::Open),
            is_active: Some(true),
            custom: Custom::new(),
        }
    }

    #[test]
    fn stages_are_ordered_with_unordered_ones_last() {
        let p = assemble(vec![
            stage("c", None, "Zeta"),
            stage("b", Some(2), "Beta"),
            stage("a", Some(1), "Alpha"),
        ]);
        let ids: Vec<&str> = p.stages.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(p.id, PIPELINE_ID);
    }
}
