import type { Generated } from 'kysely';

/** Row types of every table. Timestamps are ISO-8601 UTC strings in both dialects; flags are 0/1 integers. */
export interface Database {
  settings: { key: string; value: string };
  organisations: {
    id: string;
    name: string;
    kind: string;
    region_code: string | null;
    parent_id: string | null;
    is_enabled: number;
    created_at: string;
    updated_at: string;
  };
  users: {
    id: string;
    username: string;
    display_name: string;
    organisation_id: string | null;
    phone: string | null;
    password_hash: string;
    password_changed_at: string;
    must_change_password: number;
    is_enabled: number;
    failed_attempts: number;
    locked_until: string | null;
    totp_secret_enc: string | null;
    is_totp_enabled: number;
    totp_last_step: number | null;
    last_login_at: string | null;
    created_at: string;
    updated_at: string;
  };
  user_roles: { user_id: string; role: string };
  sessions: {
    id: string;
    user_id: string;
    csrf_token: string;
    created_at: string;
    last_seen_at: string;
    expires_at: string;
    ip: string | null;
    user_agent: string | null;
  };
  api_tokens: {
    id: string;
    user_id: string;
    name: string;
    token_hash: string;
    prefix: string;
    created_at: string;
    expires_at: string | null;
    last_used_at: string | null;
    revoked_at: string | null;
  };
  login_attempts: {
    id: Generated<number>;
    ip: string;
    username: string;
    at: string;
    is_success: number;
  };
  audit_events: {
    id: number;
    at: string;
    actor_user_id: string | null;
    actor_username: string | null;
    actor_roles: string | null;
    action: string;
    object_type: string | null;
    object_id: string | null;
    ip: string | null;
    result: string;
    detail: string | null;
    prev_hash: string;
    hash: string;
  };
  industries: { code: string; name: string; level: number; parent: string | null };
  regions: { code: string; name: string; level: number; parent: string | null };
  enterprises: {
    id: string;
    credit_code: string;
    is_credit_code_override: number;
    name: string;
    legal_representative: string | null;
    registered_capital: number | null;
    established_on: string | null;
    industry_code: string;
    industry_section: string;
    industry_division: string | null;
    industry_group: string | null;
    region_code: string;
    region_county: string;
    region_township: string | null;
    revenue: number | null;
    scale: string;
    scale_override_reason: string | null;
    land_area: number | null;
    park: string | null;
    address: string | null;
    status: string;
    /** JSON arrays */
    former_names: string;
    contacts: string;
    tags: string;
    created_at: string;
    updated_at: string;
  };
  enterprise_tags: { enterprise_id: string; tag: string };
  enterprise_managers: { enterprise_id: string; user_id: string; via: string; bound_at: string };
  enterprise_instructors: { enterprise_id: string; user_id: string; assigned_at: string };
  enterprise_invites: {
    id: string;
    enterprise_id: string;
    code_hash: string;
    created_by: string;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    used_by: string | null;
  };
  binding_requests: {
    id: string;
    enterprise_id: string;
    user_id: string;
    status: string;
    created_at: string;
    decided_at: string | null;
    decided_by: string | null;
  };
  appeal_categories: { code: string; name: string; name_en: string; deadline_days: number; is_enabled: number; sort_order: number };
  appeal_counters: { year: number; last: number };
  appeals: {
    id: string;
    number: string;
    enterprise_id: string;
    category_code: string;
    title: string;
    description: string;
    urgency: string;
    origin_kind: string;
    origin_id: string | null;
    submitted_by: string | null;
    submitted_by_name: string | null;
    contact_name: string | null;
    contact_phone: string | null;
    status: string;
    version: number;
    decline_reason: string | null;
    merged_into_id: string | null;
    rating: string | null;
    rating_comment: string | null;
    redo_count: number;
    supervised: number;
    created_at: string;
    updated_at: string;
  };
  appeal_parts: {
    id: string;
    appeal_id: string;
    organisation_id: string;
    part: string | null;
    is_lead: number;
    status: string;
    days: number;
    dispatched_at: string;
    dispatched_on: string;
    signed_at: string | null;
    answered_at: string | null;
    answered_on: string | null;
    answer: string | null;
    due_date: string;
    due_estimated: number;
    paused_since: string | null;
    paused_days: number;
    extension_days: number | null;
    extension_reason: string | null;
    extension_requested_at: string | null;
    return_count: number;
    urged_for: string | null;
    reported_for: string | null;
  };
  appeal_events: {
    id: Generated<number>;
    appeal_id: string;
    part_id: string | null;
    organisation_id: string | null;
    action: string;
    from_status: string | null;
    to_status: string | null;
    part_from: string | null;
    part_to: string | null;
    actor_user_id: string | null;
    actor_name: string | null;
    at: string;
    day: string;
    data: string | null;
  };
  appeal_attachments: {
    id: string;
    appeal_id: string;
    /** The unit's part whose answer the file belongs to; null for the appeal's own files. */
    part_id: string | null;
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
    content: Buffer;
    uploaded_by: string | null;
    uploaded_by_name: string | null;
    created_at: string;
  };
  enterprise_events: {
    id: Generated<number>;
    enterprise_id: string;
    at: string;
    type: string;
    actor_user_id: string | null;
    actor_name: string | null;
    summary: string;
    data: string | null;
  };
  jobs: {
    id: string;
    kind: string;
    status: string;
    progress: number;
    payload: string | null;
    result: string | null;
    error: string | null;
    created_by: string | null;
    created_at: string;
    updated_at: string;
    locked_by: string | null;
    locked_until: string | null;
  };
  /** Days that differ from Monday–Friday (holidays on weekdays, 调休 workdays on weekends); source 'chinese-days' | 'manual'. */
  calendar_days: { date: string; is_workday: number; name: string | null; source: string; updated_at: string; updated_by: string | null };
  /** Years whose official holiday notice is in calendar_days; source 'chinese-days' | 'manual'. */
  calendar_years: { year: number; source: string; updated_at: string };
  /** In-app notifications, one per recipient; read_at null = unread. */
  notifications: {
    id: string;
    user_id: string;
    kind: string;
    title: string;
    body: string;
    link: string | null;
    enterprise_id: string | null;
    created_at: string;
    read_at: string | null;
  };
  /**
   * A person's external channels: channel 'email' | 'dingtalk'; address = the e-mail address (plain); address_enc =
   * the robot's webhook URL, SM4-encrypted like secret_enc; topics = JSON {topic: boolean} of per-topic choices
   * (a topic not in it takes its default).
   */
  notification_channels: { user_id: string; channel: string; is_enabled: number; address: string | null; address_enc: string | null; secret_enc: string | null; topics: string | null; updated_at: string };
  /** Messages to send through an external channel; status pending | sent | failed | cancelled; notification_id null = a test message. */
  notification_deliveries: {
    id: string;
    notification_id: string | null;
    user_id: string;
    channel: string;
    status: string;
    attempts: number;
    next_attempt_at: string | null;
    last_error: string | null;
    created_at: string;
    updated_at: string;
    sent_at: string | null;
  };
  visits: {
    id: string;
    enterprise_id: string;
    /** planned | done | cancelled */
    status: string;
    planned_on: string | null;
    visited_on: string | null;
    /** visited_on once done, planned_on before: the calendar's day. */
    calendar_date: string;
    visitor_user_id: string;
    visitor_organisation_id: string | null;
    /** JSON arrays */
    people_met: string;
    topics: string;
    summary: string | null;
    problems: string;
    follow_ups: string;
    cancel_reason: string | null;
    created_by: string | null;
    created_at: string;
    updated_at: string;
  };
  liaison_points: {
    id: string;
    name: string;
    region_code: string;
    host_enterprise_id: string | null;
    contact_name: string | null;
    contact_phone: string | null;
    address: string | null;
    is_active: number;
    created_at: string;
    updated_at: string;
  };
  liaison_point_members: { liaison_point_id: string; enterprise_id: string; joined_at: string };
  symposiums: {
    id: string;
    liaison_point_id: string;
    held_on: string;
    quarter: string;
    topic: string;
    location: string | null;
    notes: string | null;
    /** JSON array */
    suggestions: string;
    created_by: string | null;
    created_at: string;
    updated_at: string;
  };
  symposium_attendees: { symposium_id: string; enterprise_id: string; person_name: string; recorded_at: string };
}
