/** Server-side messages in both UI languages. Errors are localised when the response is written. */
export type Locale = 'zh-CN' | 'en-US';

export function localeOf(acceptLanguage: string | undefined): Locale {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}

type Catalog = Record<string, { 'zh-CN': string; 'en-US': string }>;

export const messages = {
  VALIDATION_FAILED: { 'zh-CN': '提交的内容有误，请检查标出的字段。', 'en-US': 'Some fields are invalid; check the marked fields.' },
  PASSWORD_POLICY: { 'zh-CN': '密码不符合安全策略：{reason}', 'en-US': 'The password does not meet the security policy: {reason}' },
  INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误。', 'en-US': 'Wrong username or password.' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录；如果已登录，会话可能已过期。', 'en-US': 'Please sign in; your session may have expired.' },
  TOTP_REQUIRED: { 'zh-CN': '请输入身份验证器上的 6 位动态码。', 'en-US': 'Enter the 6-digit code from your authenticator app.' },
  TOTP_INVALID: { 'zh-CN': '动态码不正确或已使用过，请等待下一个动态码。', 'en-US': 'The code is wrong or was already used; wait for the next code.' },
  CSRF_INVALID: { 'zh-CN': '页面已过期，请刷新后重试。', 'en-US': 'This page has expired; reload it and try again.' },
  FORBIDDEN: { 'zh-CN': '您没有执行此操作的权限。', 'en-US': 'You are not allowed to do this.' },
  PASSWORD_CHANGE_REQUIRED: { 'zh-CN': '请先修改密码再继续。', 'en-US': 'Change your password before continuing.' },
  TOTP_ENROLLMENT_REQUIRED: { 'zh-CN': '您的角色必须启用双因素认证，请先绑定身份验证器。', 'en-US': 'Your role requires two-factor authentication; set up an authenticator first.' },
  NOT_FOUND: { 'zh-CN': '未找到该内容，或您无权查看。', 'en-US': 'Not found, or you may not see it.' },
  CONFLICT: { 'zh-CN': '与现有数据冲突：{reason}', 'en-US': 'Conflicts with existing data: {reason}' },
  ADMIN_SEPARATION: {
    'zh-CN': '三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。',
    'en-US': 'Separation of duties: one account cannot hold two of system, security and audit administrator.',
  },
  PAYLOAD_TOO_LARGE: { 'zh-CN': '提交的内容过大。', 'en-US': 'The request is too large.' },
  ACCOUNT_LOCKED: {
    'zh-CN': '连续 5 次登录失败，账号已锁定至 {until}；请稍后再试或联系系统管理员解锁。',
    'en-US': 'Locked after 5 failed sign-ins until {until}; try later or ask the system administrator to unlock it.',
  },
  RATE_LIMITED: { 'zh-CN': '尝试次数过多，请稍后再试。', 'en-US': 'Too many attempts; try again later.' },
  INTERNAL: { 'zh-CN': '服务器出错了，请稍后重试；问题已记录（请求号 {requestId}）。', 'en-US': 'Something went wrong on the server; it was logged (request {requestId}).' },
  UNAVAILABLE: { 'zh-CN': '服务暂不可用，请稍后重试。', 'en-US': 'The service is unavailable; try again later.' },
} satisfies Catalog;

/** Reasons and field messages, keyed by the English text the code uses. */
const phrases: Catalog = {
  required: { 'zh-CN': '必填', 'en-US': 'required' },
  'nothing to change': { 'zh-CN': '没有要修改的内容', 'en-US': 'nothing to change' },
  'must not contain control characters': { 'zh-CN': '不能包含控制字符', 'en-US': 'must not contain control characters' },
  'six digits': { 'zh-CN': '应为 6 位数字', 'en-US': 'six digits' },
  'letters, digits and _ . @ - only': { 'zh-CN': '只能包含字母、数字和 _ . @ -', 'en-US': 'letters, digits and _ . @ - only' },
  'a 6-, 9- or 12-digit division code': { 'zh-CN': '应为 6、9 或 12 位行政区划代码', 'en-US': 'a 6-, 9- or 12-digit division code' },
  'an 11-digit mobile number': { 'zh-CN': '应为 11 位手机号码', 'en-US': 'an 11-digit mobile number' },
  'invalid JSON': { 'zh-CN': '请求体不是有效的 JSON', 'en-US': 'the body is not valid JSON' },
  'at least {n} characters': { 'zh-CN': '至少 {n} 个字符', 'en-US': 'at least {n} characters' },
  'at most {n} characters': { 'zh-CN': '最多 {n} 个字符', 'en-US': 'at most {n} characters' },
  'at least {n}': { 'zh-CN': '不能小于 {n}', 'en-US': 'at least {n}' },
  'at most {n}': { 'zh-CN': '不能大于 {n}', 'en-US': 'at most {n}' },
  'at least {n} items': { 'zh-CN': '至少 {n} 项', 'en-US': 'at least {n} items' },
  'at most {n} items': { 'zh-CN': '最多 {n} 项', 'en-US': 'at most {n} items' },
  'expected {type}': { 'zh-CN': '类型应为 {type}', 'en-US': 'expected {type}' },
  'one of: {values}': { 'zh-CN': '应为以下之一：{values}', 'en-US': 'one of: {values}' },
  'invalid format': { 'zh-CN': '格式不正确', 'en-US': 'invalid format' },
  'invalid value': { 'zh-CN': '取值无效', 'en-US': 'invalid value' },
  'unknown fields: {keys}': { 'zh-CN': '不认识的字段：{keys}', 'en-US': 'unknown fields: {keys}' },
  'at least {n} characters long': { 'zh-CN': '长度至少 {n} 位', 'en-US': 'at least {n} characters long' },
  'at least 3 of: lower case, upper case, digits, symbols': {
    'zh-CN': '需包含大写字母、小写字母、数字、符号中的至少 3 类',
    'en-US': 'at least 3 of: lower case, upper case, digits, symbols',
  },
  'too common': { 'zh-CN': '属于常见弱口令', 'en-US': 'it is a commonly used password' },
  'must not contain the username': { 'zh-CN': '不能包含用户名', 'en-US': 'must not contain the username' },
  'must differ from the current password': { 'zh-CN': '不能与当前密码相同', 'en-US': 'must differ from the current password' },
  'current password is wrong': { 'zh-CN': '当前密码不正确', 'en-US': 'the current password is wrong' },
  'username already taken': { 'zh-CN': '用户名已被使用', 'en-US': 'the username is already taken' },
  'organisation already exists': { 'zh-CN': '同类组织机构名称已存在', 'en-US': 'an organisation of this kind with this name exists' },
  'unknown organisation': { 'zh-CN': '组织机构不存在', 'en-US': 'no such organisation' },
  'an organisation cannot be its own parent': { 'zh-CN': '组织机构不能以自己为上级', 'en-US': 'an organisation cannot be its own parent' },
  'you cannot change your own roles': { 'zh-CN': '不能修改自己的角色', 'en-US': 'you cannot change your own roles' },
  'you cannot disable yourself': { 'zh-CN': '不能停用自己的账号', 'en-US': 'you cannot disable yourself' },
  'administrators use their password and second factor, not API tokens': {
    'zh-CN': '三员账号不能使用 API 令牌',
    'en-US': 'administrators use their password and second factor, not API tokens',
  },
  'set up two-factor authentication first': { 'zh-CN': '请先获取二维码', 'en-US': 'set up two-factor authentication first' },
  'two-factor authentication is already on': { 'zh-CN': '已启用双因素认证', 'en-US': 'two-factor authentication is already on' },
  'sysadmin, secadmin and auditadmin are exclusive': { 'zh-CN': '系统管理员、安全管理员、审计管理员不能兼任', 'en-US': 'sysadmin, secadmin and auditadmin are exclusive' },
  'you may not override the credit-code check': { 'zh-CN': '您无权跳过信用代码校验', 'en-US': 'you may not override the credit-code check' },
  'unknown industry code': { 'zh-CN': '行业代码不存在（应为 GB/T 4754-2017 的大类、中类或小类）', 'en-US': 'unknown industry code (a GB/T 4754-2017 division, group or class)' },
  'unknown division code': { 'zh-CN': '行政区划代码不存在', 'en-US': 'unknown division code' },
  'a reason is required to override the scale': { 'zh-CN': '手工调整规模须填写理由', 'en-US': 'a reason is required to override the scale' },
  'credit code already registered': { 'zh-CN': '该统一社会信用代码已建档', 'en-US': 'this credit code is already registered' },
  'no enterprise with this credit code is registered': { 'zh-CN': '未找到该统一社会信用代码对应的企业，请联系经发中心', 'en-US': 'no enterprise with this credit code is registered; contact the office' },
  'invalid or expired invite code': { 'zh-CN': '邀请码无效或已过期', 'en-US': 'invalid or expired invite code' },
  'already a manager of this enterprise': { 'zh-CN': '您已是该企业的管理员', 'en-US': 'you already manage this enterprise' },
  'a request for this enterprise is already waiting': { 'zh-CN': '已提交过绑定申请，请等待审核', 'en-US': 'a request for this enterprise is already waiting' },
  'an industry code (门类 letter or 2–4 digits)': { 'zh-CN': '应为行业代码（门类字母或 2–4 位数字）', 'en-US': 'an industry code (section letter or 2–4 digits)' },
  'a division code': { 'zh-CN': '应为行政区划代码', 'en-US': 'a division code' },
  'the import is not ready to commit': { 'zh-CN': '导入尚未检查完成，不能确认', 'en-US': 'the import is not ready to commit' },
  'the import has rows with errors': { 'zh-CN': '文件中有错误行，请修改后重新上传', 'en-US': 'the import has rows with errors; fix the file and upload it again' },
  'outside your area': { 'zh-CN': '不在您的管辖范围内', 'en-US': 'outside your area' },
  // Appeals
  'a lower-case code': { 'zh-CN': '应为小写字母开头的代码', 'en-US': 'a lower-case code' },
  'a date YYYY-MM-DD': { 'zh-CN': '应为 YYYY-MM-DD 格式的日期', 'en-US': 'a date YYYY-MM-DD' },
  'unknown enterprise': { 'zh-CN': '企业不存在，或您不能为其提交诉求', 'en-US': 'unknown enterprise, or not one you may act for' },
  'unknown category': { 'zh-CN': '诉求类别不存在或已停用', 'en-US': 'unknown or disabled category' },
  'not a unit appeals can be dispatched to': { 'zh-CN': '该单位不能接收交办（应为部门或外部单位）', 'en-US': 'not a unit appeals can be dispatched to' },
  'already handling this appeal': { 'zh-CN': '该单位已在办理此诉求', 'en-US': 'this unit already handles the appeal' },
  'an open appeal of the same enterprise': { 'zh-CN': '应为同一企业的另一件未办结诉求', 'en-US': 'another open appeal of the same enterprise' },
  'must not be before from': { 'zh-CN': '结束日期不能早于开始日期', 'en-US': 'must not be before the start date' },
  'an 18-character unified social credit code': { 'zh-CN': '应为 18 位统一社会信用代码', 'en-US': 'an 18-character unified social credit code' },
  'someone changed this appeal first': { 'zh-CN': '该诉求已被他人更新，请查看最新状态后再操作', 'en-US': 'someone changed this appeal first; check its current state' },
  'this step is not open in the current state': { 'zh-CN': '诉求当前状态下不能执行此操作', 'en-US': 'this step is not open in the current state' },
  'already paused': { 'zh-CN': '已暂停计时', 'en-US': 'the clock is already paused' },
  'not paused': { 'zh-CN': '未暂停计时', 'en-US': 'the clock is not paused' },
  'resume before answering': { 'zh-CN': '请先恢复计时再答复', 'en-US': 'resume the clock before answering' },
  'an extension request is pending': { 'zh-CN': '已有延期申请待审批', 'en-US': 'an extension request is pending' },
  'resume before asking for an extension': { 'zh-CN': '请先恢复计时再申请延期', 'en-US': 'resume the clock before asking for an extension' },
  'no extension request is pending': { 'zh-CN': '没有待审批的延期申请', 'en-US': 'no extension request is pending' },
  'code already in use': { 'zh-CN': '该代码已被使用', 'en-US': 'this code is already in use' },
  'the appeal is closed; no more attachments': { 'zh-CN': '诉求已结束，不能再添加附件', 'en-US': 'the appeal is closed; no more attachments' },
  'at most {n} more working days': { 'zh-CN': '累计延期不超过 20 个工作日，最多还能延期 {n} 个工作日', 'en-US': 'at most {n} more working days (20 in all)' },
  // Visits, liaison points and symposiums
  'a visit cannot be recorded before it happens': { 'zh-CN': '走访日期不能晚于今天', 'en-US': 'a visit cannot be recorded before it happens' },
  'only a done visit has a visit date': { 'zh-CN': '只有已走访的记录才有走访日期', 'en-US': 'only a done visit has a visit date' },
  'only a planned visit can be moved': { 'zh-CN': '只有走访计划可以改期', 'en-US': 'only a planned visit can be moved' },
  'only a planned visit can be recorded': { 'zh-CN': '只有计划中的走访可以登记为已走访', 'en-US': 'only a planned visit can be recorded' },
  'only a planned visit can be cancelled': { 'zh-CN': '只有计划中的走访可以取消，已走访的记录不能取消', 'en-US': 'only a planned visit can be cancelled' },
  'a cancelled visit cannot be changed': { 'zh-CN': '已取消的走访不能修改', 'en-US': 'a cancelled visit cannot be changed' },
  'it became an appeal and cannot be changed': { 'zh-CN': '已转为诉求，不能修改', 'en-US': 'it became an appeal and cannot be changed' },
  'an item that became an appeal cannot be removed': { 'zh-CN': '已转为诉求的条目不能删除', 'en-US': 'an item that became an appeal cannot be removed' },
  'this item already became another appeal': { 'zh-CN': '该条目已转为另一个诉求', 'en-US': 'this item already became another appeal' },
  'the appeal is already linked to another item': { 'zh-CN': '该诉求已关联到其他条目', 'en-US': 'the appeal is already linked to another item' },
  'the appeal does not belong to this enterprise': { 'zh-CN': '诉求不存在或不属于该企业', 'en-US': 'no such appeal for this enterprise' },
  'the appeal was raised from another visit or symposium': { 'zh-CN': '该诉求来自其他走访或座谈会', 'en-US': 'the appeal was raised from another visit or symposium' },
  'choose the enterprise that made the suggestion': { 'zh-CN': '请先选择提出建议的企业', 'en-US': 'choose the enterprise that made the suggestion' },
  'unknown enterprise, or outside your area': { 'zh-CN': '企业不存在或不在您的管辖范围内', 'en-US': 'unknown enterprise, or outside your area' },
  'a quarter such as 2026Q3': { 'zh-CN': '应为季度，如 2026Q3', 'en-US': 'a quarter such as 2026Q3' },
  'the liaison point is closed': { 'zh-CN': '该联络点已停用', 'en-US': 'the liaison point is closed' },
  'a symposium with attendance or appeals cannot be deleted': { 'zh-CN': '已登记出席或已转诉求的座谈会不能删除', 'en-US': 'a symposium with attendance or appeals cannot be deleted' },
  'a date YYYY-MM-DD (1900–2999)': { 'zh-CN': '应为 YYYY-MM-DD 格式的日期（1900–2999 年）', 'en-US': 'a date YYYY-MM-DD (1900–2999)' },
  'the notice of this year comes with the software': { 'zh-CN': '该年度的节假日安排随系统提供，不能撤销', 'en-US': 'the notice of this year comes with the software' },
};

function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export type MessageKey = keyof typeof messages;

export function translate(key: MessageKey, locale: Locale, params?: Record<string, string | number>): string {
  return fill(messages[key][locale], params);
}

/** Translate a phrase (a reason or field message); unknown phrases pass through unchanged. */
export function translatePhrase(phrase: string, locale: Locale, params?: Record<string, string | number>): string {
  return fill(phrases[phrase]?.[locale] ?? phrase, params);
}
