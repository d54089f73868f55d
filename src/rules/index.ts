/**
 * @fileoverview The rule registry: every rule folder under src/rules/ must appear here
 * (checked by scripts/check-rule-files.ts and test/rules-parity.test.ts).
 */
import type { Rule } from '../analysis/rule.js';
import abandonedSender from './abandoned-sender/rule.js';
import lostCancel from './lost-cancel/rule.js';
import waitgroupAddInGoroutine from './waitgroup-add-in-goroutine/rule.js';

/** All rules, in id order. */
export const ALL_RULES: readonly Rule[] = [abandonedSender, lostCancel, waitgroupAddInGoroutine];

/** A rule by id. */
export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
