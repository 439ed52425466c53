//! What title normalization matches against: every role's names and first
//! SOC code, and the imported occupations.

use super::{Reads, StorageError};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct RoleNamesRow {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    pub family: String,
    pub seniority: String,
    pub alternative_titles: Vec<String>,
    pub soc_code: Option<String>,
}

pub async fn role_names(client: &impl Reads) -> Result<Vec<RoleNamesRow>, StorageError> {
    let rows = client
        .rows(
            "SELECT r.id, r.slug, r.title, r.family, r.seniority,
                    ARRAY(SELECT a.title FROM role_alternative_titles a
                          WHERE a.role_id = r.id ORDER BY a.position),
                    (SELECT c.soc_code FROM role_soc_codes c
                     WHERE c.role_id = r.id ORDER BY c.position LIMIT 1)
             FROM roles r ORDER BY r.slug",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| RoleNamesRow {
            id: row.get(0),
            slug: row.get(1),
            title: row.get(2),
            family: row.get(3),
            seniority: row.get(4),
            alternative_titles: row.get(5),
            soc_code: row.get(6),
        })
        .collect())
}

/// Every imported detailed occupation (groups are too broad to name a
/// posting): code and title.
pub async fn occupations(client: &impl Reads) -> Result<Vec<(String, String)>, StorageError> {
    let rows = client
        .rows(
            "SELECT soc_code, title FROM occupations
             WHERE occupation_group = 'detailed' ORDER BY soc_code",
            &[],
        )
        .await?;
    Ok(rows.iter().map(|row| (row.get(0), row.get(1))).collect())
}
