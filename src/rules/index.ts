/**
 * @fileoverview The rule registry: every rule folder under src/rules/ must appear here
 * (checked by the parity tests in test/rules.test.ts).
 */
import type { Rule } from '../analysis/rule.js';
import abandonedSender from './abandoned-sender/rule.js';
import blockedForever from './blocked-forever/rule.js';
import blockedReceive from './blocked-receive/rule.js';
import chanDirection from './chan-direction/rule.js';
import concurrentMapWrite from './concurrent-map-write/rule.js';
import condWaitNoLoop from './cond-wait-no-loop/rule.js';
import condWaitUnsignalled from './cond-wait-unsignalled/rule.js';
import copiedLock from './copied-lock/rule.js';
import doubleLock from './double-lock/rule.js';
import globalRegistryGrowth from './global-registry-growth/rule.js';
import lockChannelCycle from './lock-channel-cycle/rule.js';
import lockOrder from './lock-order/rule.js';
import loopGoroutineRace from './loop-goroutine-race/rule.js';
import lostCancel from './lost-cancel/rule.js';
import missingUnlock from './missing-unlock/rule.js';
import nilChannelOp from './nil-channel-op/rule.js';
import poolNoReset from './pool-no-reset/rule.js';
import poolPutNonPointer from './pool-put-non-pointer/rule.js';
import poolUnboundedObject from './pool-unbounded-object/rule.js';
import rangeNeverClosed from './range-never-closed/rule.js';
import selectWithoutExit from './select-without-exit/rule.js';
import tickerNotStopped from './ticker-not-stopped/rule.js';
import timeAfterInLoop from './time-after-in-loop/rule.js';
import unboundedGoroutines from './unbounded-goroutines/rule.js';
import waitgroupAddInGoroutine from './waitgroup-add-in-goroutine/rule.js';
import waitgroupMisuse from './waitgroup-misuse/rule.js';
import condMissedWakeup from './cond-missed-wakeup/rule.js';
import onceShared from './once-shared/rule.js';
import onceReentry from './once-reentry/rule.js';

/** All rules, in id order. */
export const ALL_RULES: readonly Rule[] = [abandonedSender, blockedForever, blockedReceive, chanDirection, concurrentMapWrite, condMissedWakeup, condWaitNoLoop, condWaitUnsignalled, copiedLock, doubleLock, globalRegistryGrowth, lockChannelCycle, lockOrder, loopGoroutineRace, lostCancel, missingUnlock, nilChannelOp, onceReentry, onceShared, poolNoReset, poolPutNonPointer, poolUnboundedObject, rangeNeverClosed, selectWithoutExit, tickerNotStopped, timeAfterInLoop, unboundedGoroutines, waitgroupAddInGoroutine, waitgroupMisuse];

/** A rule by id. */
export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
