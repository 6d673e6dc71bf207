// Package lens carries Onus's question set to and from the AWS
// Well-Architected Tool as custom lenses, schema version 2021-11-01.
//
// # Export
//
// Export writes the catalog's controls as lenses the Tool accepts: each
// domain a pillar, each control a question. A question's title is the
// control's question (its title when the question is longer than a title
// may be), its description the question, the guidance and the clauses
// cited, and its helpful resource names the Onus control and its
// criticality ("Onus AT-01, high criticality"), which is also how Import
// recognises a lens Onus wrote. Every question offers one choice per
// answer an Onus control can have:
//
//	implemented            Implemented, and the evidence is at hand
//	partially_implemented  Partially implemented
//	planned                Planned, with an owner and a date
//	not_implemented_no     None of these: not implemented
//
// ("not applicable" is the Tool's own answer to a question). Each choice
// but the last carries a helpful resource (for implemented, the evidence
// sources that show it, yours and AWS's) and an improvement plan. Risk
// rules follow the control's criticality:
//
//	high    implemented: none; partially_implemented: medium; otherwise high
//	medium  implemented: none; otherwise medium
//	low     implemented or partially_implemented: none; otherwise medium
//
// A domain with more questions than a pillar holds is split into parts
// ("Records (1 of 2)"); pillars beyond what a lens holds, or beyond its
// size, go to further lenses ("part 2 of 2"): the default catalog's
// twelve domains make two lenses. Texts longer than a field allows are
// cut with an ellipsis; ids keep to letters, digits and underscores.
// Output is deterministic: no export time, fields in order.
//
// # The limits, and where they are written
//
// The lens format specification of the Well-Architected Tool User Guide
// (https://docs.aws.amazon.com/wellarchitected/latest/userguide/lenses-format-specification.html)
// and the API Reference
// (https://docs.aws.amazon.com/wellarchitected/latest/APIReference/)
// state these; where they differ the tighter is kept (constants in
// lens.go, and schema/custom-lens-2021-11-01.json, against which every
// export is validated in the tests):
//
//   - file: at most 500 KB (ImportLens: "A custom lens cannot exceed 500 KB in size").
//   - lens name up to 128 characters, description up to 2048 (spec).
//   - up to 10 pillars per lens; pillar ids of 3 to 128 letters, digits
//     and underscores, unique (spec), and at most 64 (API PillarId);
//     pillar names up to 128 characters (spec).
//   - up to 20 questions per pillar; question ids of 3 to 128 such
//     characters, unique (spec; API QuestionId 128); titles up to 128
//     (spec; the API allows 512); descriptions up to 2048 (spec) but 1024
//     in the API (QuestionDescription); the helpful resource's text up to
//     2048 (spec) but 64 in the API (HelpfulResourceDisplayText), its URL
//     up to 2048 (API HelpfulResourceUrl).
//   - up to 15 choices per question; choice ids of 3 to 128 such
//     characters (spec) and at most 64 (API ChoiceId), unique in the
//     question, and a suffix of _no making a choice the question's "None
//     of these"; titles up to 128 (spec; the API allows 512); helpful
//     resource and improvement plan texts up to 2048 (spec) but 1024 in
//     the API (ChoiceContent), URLs up to 1024 (API); an improvement plan
//     on every choice but "None of these"; up to five additional helpful
//     resources and five improvement plan items (spec).
//   - at most three risk rules per question, one for each risk, with a
//     default rule; risks HIGH_RISK, MEDIUM_RISK and NO_RISK (spec).
//   - every URL starts with http:// or https:// (spec). Onus writes none:
//     it never touches the network, and its catalog holds no links.
//
// # Import
//
// Import turns any custom lens into an Extension of the catalog: each
// pillar a domain and each question a control that is wholly the
// customer's (it sits on the catalog's first layer the customer owns in
// every service model), procedural, citing no framework (so it applies
// whatever frameworks an assessment chooses), with its criticality from
// the default risk rule and its guidance from the description, the
// helpful resource and the choices. A question that a catalog control
// already asks is mapped to it instead: a question Onus exported, by its
// id and helpful resource, or any question named in ImportOptions.Map.
// Keys the format does not define (metadata such as _comment, or a
// misspelt Url) are ignored and noted; long texts are kept whole; a
// malformed lens is refused with every problem, each naming its pillar,
// question and field ("pillars[1] (lineage).questions[0] (lin_01).title:
// a number, want text").
//
// An extension is a file of its own (Encode, DecodeExtension). Merge adds
// extensions to the catalog and validates the result exactly as a
// catalog file is validated; the merged catalog's version names each
// extension and the first twelve hex digits of its SHA-256
// ("2026.12.0+lens-lab-data.3f2a9c1d0b7e") and its hash covers the whole,
// so an assessment's catalog reference records which question set it
// answered.
package lens
