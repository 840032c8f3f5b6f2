import { Events } from '@lienket/contracts';
import { onBatch, type Subscription } from '@lienket/eventbus';
import type mongoose from 'mongoose';
import { grantContacts } from '../mongo/store';

/**
 * Established matches release each party's contact to the other (and to nobody else): one bulk
 * upsert of grants per batch, keyed by match, grantee and enterprise, so a replay changes nothing
 * and the consumer keeps no record of processed ids.
 */
export const linkageSubscriptions = (connection: mongoose.Connection): Subscription[] => [
  onBatch(
    [Events.linkageEstablished],
    async (events) => {
      await grantContacts(
        connection,
        events.map((e) => e.payload),
      );
    },
    { idempotent: true },
  ),
];
