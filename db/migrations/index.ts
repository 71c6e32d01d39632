// Every migration in order. Names sort by date; a migration never changes once it has shipped.
import type { Migration } from "kysely";
import type { Dialect } from "../portable";
import { m0001_people_and_programmes } from "./0001_people_and_programmes";
import { m0002_surveys_and_rounds } from "./0002_surveys_and_rounds";
import { m0003_collection } from "./0003_collection";
import { m0004_aggregates } from "./0004_aggregates";
import { m0005_audit } from "./0005_audit";
import { m0006_pending_aggregates } from "./0006_pending_aggregates";
import { m0007_response_order } from "./0007_response_order";
import { m0008_sparse_response_indexes } from "./0008_sparse_response_indexes";
import { m0009_response_places } from "./0009_response_places";
import { m0010_response_quotas } from "./0010_response_quotas";
import { m0011_programme_keys } from "./0011_programme_keys";
import { m0012_aggregate_stamps } from "./0012_aggregate_stamps";
import { m0013_sign_in_and_tokens } from "./0013_sign_in_and_tokens";
import { m0014_lower_case_ids } from "./0014_lower_case_ids";
import { m0017_indicator_targets } from "./0017_indicator_targets";
import { m0015_import_jobs } from "./0015_import_jobs";
import { m0019_field_app } from "./0019_field_app";
import { m0020_languages } from "./0020_languages";
import { m0021_voices } from "./0021_voices";
import { m0016_translation_marks } from "./0016_translation_marks";
import { m0018_sampling_and_review } from "./0018_sampling_and_review";
import { m0022_linked_indicators_and_date_targets } from "./0022_linked_indicators_and_date_targets";

export const migrations: Record<string, (dialect: Dialect) => Migration> = {
  "0001_people_and_programmes": m0001_people_and_programmes,
  "0002_surveys_and_rounds": m0002_surveys_and_rounds,
  "0003_collection": m0003_collection,
  "0004_aggregates": m0004_aggregates,
  "0005_audit": m0005_audit,
  "0006_pending_aggregates": m0006_pending_aggregates,
  "0007_response_order": m0007_response_order,
  "0008_sparse_response_indexes": m0008_sparse_response_indexes,
  "0009_response_places": m0009_response_places,
  "0010_response_quotas": m0010_response_quotas,
  "0011_programme_keys": m0011_programme_keys,
  "0012_aggregate_stamps": m0012_aggregate_stamps,
  "0013_sign_in_and_tokens": m0013_sign_in_and_tokens,
  "0014_lower_case_ids": m0014_lower_case_ids,
  "0017_indicator_targets": m0017_indicator_targets,
  "0015_import_jobs": m0015_import_jobs,
  "0019_field_app": m0019_field_app,
  "0020_languages": m0020_languages,
  "0021_voices": m0021_voices,
  "0016_translation_marks": m0016_translation_marks,
  "0018_sampling_and_review": m0018_sampling_and_review,
  "0022_linked_indicators_and_date_targets": m0022_linked_indicators_and_date_targets,
};
