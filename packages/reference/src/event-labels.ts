/**
 * Readable names of the public event types (the CloudEvents `type` of the live stream and of webhooks), in
 * Vietnamese and English, grouped by the aggregate stream they travel on. The event catalogue
 * (@lienket/contracts) is the source of the types; the gateway's analyst browser test checks that every
 * public type has its name here.
 */
export interface EventLabel {
  vi: string;
  en: string;
}

export interface EventGroup extends EventLabel {
  /** The type prefix a filter (stream or webhook) uses for the whole group. */
  prefix: string;
  types: readonly (EventLabel & { type: string })[];
}

const type = (context: string, aggregate: string, verb: string, vi: string, en: string) => ({
  type: `vn.lienket.${context}.${aggregate}.${verb}.v1`,
  vi,
  en,
});

const group = (
  context: string,
  aggregate: string,
  vi: string,
  en: string,
  verbs: readonly [verb: string, vi: string, en: string][],
): EventGroup => ({
  prefix: `vn.lienket.${context}.${aggregate}.`,
  vi,
  en,
  types: verbs.map(([verb, tvi, ten]) => type(context, aggregate, verb, tvi, ten)),
});

export const eventGroups: readonly EventGroup[] = [
  group('registry', 'enterprise', 'Doanh nghiệp', 'Firms', [
    ['registered', 'Doanh nghiệp mới đăng ký', 'New firm registered'],
    ['updated', 'Hồ sơ doanh nghiệp được cập nhật', 'Firm profile updated'],
    ['verified', 'Doanh nghiệp được xác minh', 'Firm verified'],
    ['rejected', 'Doanh nghiệp bị từ chối xác minh', 'Firm verification rejected'],
    ['lead_firm_designated', 'Doanh nghiệp dẫn dắt được chỉ định', 'Lead firm designated'],
  ]),
  group('registry', 'need', 'Nhu cầu', 'Needs', [
    ['posted', 'Nhu cầu mới được đăng', 'New need posted'],
    ['closed', 'Nhu cầu được đóng', 'Need closed'],
    ['fulfilled', 'Nhu cầu đã được đáp ứng', 'Need fulfilled'],
    ['expiring', 'Nhu cầu sắp hết hạn', 'Need expiring soon'],
    ['expired', 'Nhu cầu đã hết hạn', 'Need expired'],
  ]),
  group('registry', 'capability', 'Năng lực cung ứng', 'Capabilities', [
    ['posted', 'Năng lực cung ứng mới được đăng', 'New capability posted'],
    ['withdrawn', 'Năng lực cung ứng được rút', 'Capability withdrawn'],
    ['renewed', 'Năng lực cung ứng được gia hạn', 'Capability renewed'],
    ['expiring', 'Năng lực cung ứng sắp hết hạn', 'Capability expiring soon'],
    ['expired', 'Năng lực cung ứng đã hết hạn', 'Capability expired'],
  ]),
  group('registry', 'cluster', 'Cụm liên kết', 'Value-chain clusters', [
    ['formed', 'Cụm liên kết mới được lập', 'Cluster formed'],
    ['member_joined', 'Thành viên gia nhập cụm', 'Member joined a cluster'],
    ['member_left', 'Thành viên rời cụm', 'Member left a cluster'],
  ]),
  group('matchmaking', 'proposal', 'Đề xuất kết nối', 'Match proposals', [
    ['proposed', 'Đề xuất kết nối mới', 'New match proposed'],
    ['accepted', 'Một bên chấp nhận đề xuất', 'Proposal accepted by one side'],
    ['declined', 'Đề xuất bị từ chối', 'Proposal declined'],
    ['expired', 'Đề xuất đã hết hạn', 'Proposal expired'],
    ['retracted', 'Đề xuất được rút lại', 'Proposal retracted'],
    ['linkage_established', 'Liên kết được thiết lập', 'Linkage established'],
  ]),
  group('matchmaking', 'demand', 'Nhu cầu chưa đáp ứng', 'Unmet demand', [
    ['unmet', 'Nhu cầu chưa tìm được nguồn cung', 'Demand left unmet'],
  ]),
  group('techtransfer', 'offer', 'Chào bán công nghệ', 'Technology offers', [
    ['published', 'Công nghệ mới được chào bán', 'Technology offer published'],
    ['withdrawn', 'Chào bán công nghệ được rút', 'Technology offer withdrawn'],
    ['expired', 'Chào bán công nghệ hết hạn', 'Technology offer expired'],
    ['renewed', 'Chào bán công nghệ được gia hạn', 'Technology offer renewed'],
  ]),
  group('techtransfer', 'request', 'Yêu cầu công nghệ', 'Technology requests', [
    ['posted', 'Yêu cầu công nghệ mới', 'Technology request posted'],
    ['closed', 'Yêu cầu công nghệ được đóng', 'Technology request closed'],
  ]),
  group('techtransfer', 'interest', 'Quan tâm và đàm phán', 'Interest and negotiation', [
    ['expressed', 'Doanh nghiệp bày tỏ quan tâm công nghệ', 'Interest in a technology expressed'],
    ['accepted', 'Bên chào bán chấp nhận quan tâm', 'Interest accepted'],
    ['declined', 'Bên chào bán từ chối quan tâm', 'Interest declined'],
    ['withdrawn', 'Quan tâm được rút lại', 'Interest withdrawn'],
    ['expired', 'Quan tâm đã hết hạn', 'Interest expired'],
    ['reminder', 'Nhắc trả lời quan tâm', 'Interest reminder'],
    ['agreement_signed', 'Hợp đồng chuyển giao được ký', 'Transfer agreement signed'],
    ['negotiation_abandoned', 'Đàm phán dừng lại', 'Negotiation abandoned'],
  ]),
  group('techtransfer', 'programme', 'Chương trình khuyến công', 'Promotion programmes', [
    ['budget_changed', 'Ngân sách chương trình thay đổi', 'Programme budget changed'],
  ]),
  group('techtransfer', 'cofunding', 'Hỗ trợ kinh phí', 'Co-funding', [
    ['requested', 'Đề nghị hỗ trợ kinh phí mới', 'Co-funding requested'],
    ['approved', 'Hỗ trợ kinh phí được duyệt', 'Co-funding approved'],
    ['rejected', 'Đề nghị hỗ trợ kinh phí bị từ chối', 'Co-funding rejected'],
    ['disbursed', 'Kinh phí hỗ trợ được giải ngân', 'Co-funding disbursed'],
  ]),
];

/** The test event a webhook subscription's owner asks for (sent by the gateway, never on Kafka). */
export const webhookTestEventType = 'vn.lienket.webhooks.subscription.tested.v1';

const byType = new Map<string, EventLabel>([
  ...eventGroups.flatMap((g) => g.types.map((t) => [t.type, t] as const)),
  [webhookTestEventType, { vi: 'Lần gửi thử', en: 'Test delivery' }],
]);

/** Every labelled type, for the completeness check. */
export const labelledEventTypes: readonly string[] = [...byType.keys()];

/**
 * The readable name of an event type; a type this portal does not know yet (a newer version, say) is shown
 * by its words without the dots rather than hidden.
 */
export function eventLabel(eventType: string, lang: 'vi' | 'en'): string {
  const found = byType.get(eventType);
  if (found) return found[lang];
  return eventType
    .replace(/^vn\.lienket\./, '')
    .replace(/\.v\d+$/, '')
    .replace(/[._]/g, ' ');
}

/** The name of a group prefix (or a single type) as a filter shows it. */
export function eventPrefixLabel(prefix: string, lang: 'vi' | 'en'): string {
  const found = eventGroups.find((g) => g.prefix === prefix);
  return found ? found[lang] : eventLabel(prefix, lang);
}
