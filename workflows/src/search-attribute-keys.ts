import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '@mlsecops/contracts';

/** Typed keys of the platform's Keyword search attributes (names registered by infra/local/temporal.sh). */
export const PIPELINE_STAGE = defineSearchAttributeKey(SEARCH_ATTRIBUTES.pipelineStage, SearchAttributeType.KEYWORD);
export const VERDICT = defineSearchAttributeKey(SEARCH_ATTRIBUTES.verdict, SearchAttributeType.KEYWORD);
