// Every migration in order. Names sort by date; a migration never changes once it has shipped.
import type { Migration } from "kysely";
import type { Dialect } from "../portable";
import { m0001_people_and_programmes } from "./0001_people_and_programmes";
import { m0002_surveys_and_rounds } from "./0002_surveys_and_rounds";
import { m0003_collection } from "./0003_collection";

export const migrations: Record<string, (dialect: Dialect) => Migration> = {
  "0001_people_and_programmes": m0001_people_and_programmes,
  "0002_surveys_and_rounds": m0002_surveys_and_rounds,
  "0003_collection": m0003_collection,
};
