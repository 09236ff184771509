import { sql } from '@phoenix/db';
import type { AppDeps } from '../../context.ts';
import { embedTexts, type Payer } from '../gateway/index.ts';
import { patternOf } from './champions.service.ts';
import type { SimilarPatterns, SimilarPatternsInput } from './schemas.ts';
import { vectorLiteral } from './steps.ts';

/**
 * The caller's patterns nearest to a query, across all of their champions: the query is
 * embedded through the gateway (billed), then ranked by cosine similarity computed in
 * SQL over `double precision[]` (unit vectors stored, so the dot product is the cosine;
 * the division keeps it exact for any vector). Only patterns embedded by the same model
 * compare. A sequential scan of the caller's patterns: see docs/architecture.md for the
 * switch to pgvector where it is installed.
 */
export async function similarPatterns(
  deps: AppDeps,
  payer: Payer,
  input: SimilarPatternsInput,
): Promise<SimilarPatterns> {
  const embedded = await embedTexts(deps, payer, { texts: [input.query], purpose: 'query' });
  const query = vectorLiteral(embedded.vectors[0] ?? []);
  let select = deps.db
    .selectFrom('championPatterns as p')
    .innerJoin('champions as c', 'c.id', 'p.championId')
    .select([
      'p.id',
      'p.championId',
      'p.kind',
      'p.summary',
      'p.objection',
      'p.answer',
      'p.quotes',
      'c.name as championName',
      sql<boolean>`true`.as('embedded'),
      sql<number>`(
        select sum(a * b) / nullif(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0)
        from unnest(p.embedding, ${query}) as pair(a, b)
      )`.as('similarity'),
    ])
    .where('p.userId', '=', payer.userId)
    .where('p.embeddingModel', '=', embedded.model)
    .where(sql<boolean>`cardinality(p.embedding) = cardinality(${query})`);
  if (input.kind) select = select.where('p.kind', '=', input.kind);
  const rows = await select
    .orderBy(sql`similarity desc nulls last`)
    .orderBy('p.id')
    .limit(input.limit)
    .execute();
  return {
    model: embedded.model,
    items: rows.map((r) => ({
      ...patternOf(r),
      championName: r.championName,
      similarity: Number(r.similarity ?? 0),
    })),
  };
}
