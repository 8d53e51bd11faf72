import { Injectable, Logger } from '@nestjs/common';
import type { DlqReason } from '@mlsecops/contracts';
import { INTAKE_ROUTES, parseIntakeEvent } from '@mlsecops/contracts';
import type { ConsumedMessage, DeadLetterPublisher } from '@mlsecops/messaging';
import { decodeKafkaCloudEvent } from '@mlsecops/messaging';
import { currentTraceId } from '@mlsecops/telemetry';
import { RecentKeys } from './recent-keys';
import { WorkflowStarter } from './workflow-starter.service';

export type RouteOutcome =
  | { kind: 'started' | 'already-exists' | 'duplicate-skipped'; workflowId: string }
  | { kind: 'dead-lettered'; reason: DlqReason; detail: string };

/**
 * The router's application logic for one lifecycle message: decode (either Kafka binding), validate
 * against the event catalogue, dedupe, start the workflow. A message that can never succeed goes to the
 * DLQ with its reason; a failure that may pass (Temporal down) is thrown so the consumer retries.
 */
@Injectable()
export class LifecycleRouter {
  private readonly logger = new Logger(LifecycleRouter.name);
  private readonly recent = new RecentKeys();
  private deadLetters: DeadLetterPublisher | undefined;

  constructor(private readonly starter: WorkflowStarter) {}

  /** Set by the consumer once its DLQ producer is connected. */
  useDeadLetters(publisher: DeadLetterPublisher): void {
    this.deadLetters = publisher;
  }

  async route(message: ConsumedMessage): Promise<RouteOutcome> {
    const at = `${message.topic}[${message.partition}]@${message.offset}`;
    const decoded = decodeKafkaCloudEvent(message.value, message.headers);
    if (!decoded.ok) return this.deadLetter(message, at, decoded.reason, decoded.detail);
    const parsed = parseIntakeEvent(decoded.event);
    if (!parsed.ok) return this.deadLetter(message, at, parsed.reason, parsed.detail);

    const { event, type } = parsed;
    const key = `${event.source}\u0000${event.id}`;
    const route = INTAKE_ROUTES[type];
    if (this.recent.has(key)) {
      this.logger.log(`${at} event ${event.id}: seen moments ago, skipped [trace ${currentTraceId() ?? '-'}]`);
      return { kind: 'duplicate-skipped', workflowId: '' };
    }
    const { workflowId, outcome } = await this.starter.start(route, event);
    this.recent.add(key);
    this.logger.log(
      `${at} event ${event.id} (${type}) -> ${route.workflowType} ${workflowId}: ${outcome} [trace ${currentTraceId() ?? '-'}]`,
    );
    return { kind: outcome, workflowId };
  }

  private async deadLetter(
    message: ConsumedMessage,
    at: string,
    reason: DlqReason,
    detail: string,
  ): Promise<RouteOutcome> {
    if (!this.deadLetters) throw new Error('dead-letter publisher not connected yet');
    await this.deadLetters.deadLetter(message, reason, detail);
    this.logger.warn(`${at} dead-lettered: ${reason}: ${detail}`);
    return { kind: 'dead-lettered', reason, detail };
  }
}
