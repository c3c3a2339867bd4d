//! The entry point: `client.crm::<M>()`.

use std::marker::PhantomData;

use super::activity::Activities;
use super::pipeline::Pipelines;
use super::records::{ReadOnly, Records};
use crate::unified::{
    Mappings, MapsCompany, MapsContact, MapsDeal, MapsLead, MapsMeeting, MapsNote, MapsOwner,
    MapsPipeline, MapsTask,
};
use crate::Client;

/// The unified CRM API over one Salesforce connection and the mappers `M`
/// (`sfgen_generated::unified::Salesforce` for the committed bindings).
///
/// ```no_run
/// # async fn demo<M: sfgen_runtime::unified::MapsContact>(client: sfgen_runtime::Client) -> Result<(), sfgen_runtime::unified::CrmError> {
/// use sfgen_runtime::unified::{ListOptions, NewContact};
/// let crm = client.crm::<M>();
/// let id = crm.contacts().create(NewContact::new("Lovelace")).await?;
/// let page = crm.contacts().list(ListOptions::default()).await?;
/// # let _ = (id, page);
/// # Ok(())
/// # }
/// ```
pub struct Crm<M> {
    client: Client,
    mappers: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Crm<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crm").field("client", &self.client).finish()
    }
}

impl<M> Clone for Crm<M> {
    fn clone(&self) -> Self {
        Crm {
            client: self.client.clone(),
            mappers: PhantomData,
        }
    }
}

impl Client {
    /// The unified CRM API over this connection, with the generated mappers `M`.
    pub fn crm<M: Mappings>(&self) -> Crm<M> {
        Crm::new(self.clone())
    }
}

impl<M: Mappings> Crm<M> {
    /// The unified CRM API over `client`.
    pub fn new(client: Client) -> Self {
        Crm {
            client,
            mappers: PhantomData,
        }
    }

    /// The connection it uses.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl<M: MapsContact> Crm<M> {
    /// Contacts (Salesforce Contact by default).
    pub fn contacts(&self) -> Records<M::Contact> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsLead> Crm<M> {
    /// Leads.
    pub fn leads(&self) -> Records<M::Lead> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsDeal> Crm<M> {
    /// Deals (Opportunity by default).
    pub fn deals(&self) -> Records<M::Deal> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsMeeting> Crm<M> {
    /// Meetings (Event by default).
    pub fn meetings(&self) -> Records<M::Meeting> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsCompany> Crm<M> {
    /// Companies (Account by default).
    pub fn companies(&self) -> Records<M::Company> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsNote> Crm<M> {
    /// Notes (classic Note by default).
    pub fn notes(&self) -> Records<M::Note> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsTask> Crm<M> {
    /// Tasks.
    pub fn tasks(&self) -> Records<M::Task> {
        Records::new(self.client.clone())
    }
}

impl<M: MapsTask + MapsMeeting> Crm<M> {
    /// Activities: tasks and meetings, newest first (read-only).
    pub fn activities(&self) -> Activities<M::Task, M::Meeting> {
        Activities::new(self.client.clone())
    }
}

impl<M: MapsPipeline> Crm<M> {
    /// Pipelines and their stages (OpportunityStage by default; read-only).
    pub fn pipelines(&self) -> Pipelines<M::Pipeline> {
        Pipelines::new(self.client.clone())
    }
}

impl<M: MapsOwner> Crm<M> {
    /// Users who can own records (User by default; read-only).
    pub fn owners(&self) -> ReadOnly<M::Owner> {
        ReadOnly::new(self.client.clone())
    }
}
