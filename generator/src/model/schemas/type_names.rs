//! The final names of the types: components keep theirs (made unique), inline types take
//! one from the places they were met (`inline_names`), and every struct's builder is named
//! after its type. Run once, when every schema has been converted.

use std::collections::BTreeSet;

use super::inline_names::{self, NameCandidate};
use super::Draft;
use crate::model::{TypeDef, TypeKind};
use crate::naming;

/// The name and module of every draft, in order: components by their own (unique) names,
/// inline types from their candidates.
pub(super) fn assign(drafts: &[Draft]) -> Vec<(String, String)> {
    let component_names: Vec<String> = drafts
        .iter()
        .filter_map(|d| d.component.as_ref())
        .map(|name| naming::type_name(name))
        .collect();
    let component_names = naming::make_unique(&component_names, &BTreeSet::new());
    let mut component_names = component_names.into_iter();
    let fixed: Vec<Option<String>> = drafts
        .iter()
        .map(|d| {
            d.component
                .as_ref()
                .map(|_| component_names.next().unwrap())
        })
        .collect();
    let candidates: Vec<&[NameCandidate]> =
        drafts.iter().map(|d| d.candidates.as_slice()).collect();
    inline_names::assign(&fixed, &candidates)
}

/// `ProjectBuilder` for `Project`, numbered when a type of that name exists. A keyword
/// guard stays out of the composed name: `SelfBuilder` for `Self_`, which is upper camel case.
pub(super) fn name_builders(types: &mut [TypeDef]) {
    let type_names: BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let wanted: Vec<String> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct(_)))
        // `Self_` (a keyword made safe) builds with `SelfBuilder`.
        .map(|t| format!("{}Builder", t.name.trim_end_matches('_')))
        .collect();
    let mut names = naming::make_unique(&wanted, &type_names).into_iter();
    for def in types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.builder = names.next().expect("one builder name per struct");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{from_yaml, type_named, ResponseBody, TypeKind, TypeRef};

    const DOC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /projects/{projectId}:
    get:
      operationId: getProject
      tags: [projects]
      parameters:
      - {name: projectId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total: {type: integer}
components:
  schemas:
    Project:
      type: object
      properties:
        status: {type: string, enum: [active, closed]}
        sites:
          type: array
          items:
            type: object
            properties:
              siteId: {type: string}
    project:
      type: object
      properties:
        name: {type: string}
    ProjectBuilder:
      type: object
      properties:
        step: {type: integer}
    self:
      type: object
      properties:
        id: {type: string}
"#;

    #[test]
    fn components_keep_their_names_and_collisions_are_numbered() {
        let api = from_yaml(DOC);
        let components: Vec<(&str, &str)> = api
            .types
            .iter()
            .filter_map(|t| Some((t.component.as_deref()?, t.name.as_str())))
            .collect();
        assert_eq!(
            components,
            [
                ("Project", "Project"),
                ("project", "Project2"),
                ("ProjectBuilder", "ProjectBuilder"),
                ("self", "Self_"),
            ]
        );
    }

    #[test]
    fn inline_types_are_named_after_where_they_were_met() {
        let api = from_yaml(DOC);
        // A property's enum: the component and the property.
        let status = type_named(&api, "ProjectStatus");
        assert!(matches!(status.kind, TypeKind::Enum(_)));
        assert_eq!(status.module, "project");
        // The items of a plural property: in the singular.
        assert!(matches!(
            type_named(&api, "ProjectSite").kind,
            TypeKind::Struct(_)
        ));
        // An operation's inline response: the operation, `Response`, in its tag's module.
        let response = type_named(&api, "GetProjectResponse");
        assert_eq!(response.module, "projects");
        let op = &api.operations[0];
        let ResponseBody::Json(TypeRef::Named(id)) = &op.response.body else {
            panic!("a JSON response: {:?}", op.response.body)
        };
        assert_eq!(api.type_def(*id).name, "GetProjectResponse");
    }

    #[test]
    fn builders_are_named_after_their_type_and_never_take_a_types_name() {
        let api = from_yaml(DOC);
        let builder = |name: &str| match &type_named(&api, name).kind {
            TypeKind::Struct(s) => s.builder.clone(),
            other => panic!("`{name}` is not a struct: {other:?}"),
        };
        // `ProjectBuilder` is a type, so `Project`'s builder is numbered.
        assert_eq!(builder("Project"), "ProjectBuilder2");
        assert_eq!(builder("Project2"), "Project2Builder");
        assert_eq!(builder("ProjectBuilder"), "ProjectBuilderBuilder");
        // The keyword guard stays out of the composed name.
        assert_eq!(builder("Self_"), "SelfBuilder");
    }
}
