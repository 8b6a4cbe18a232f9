import type { CreateUserInput, Role, UpdateUserInput, User } from '@qinqing/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api-client';
import { applyFieldErrors, errorText } from '../../app/errors';
import { OrganisationSelect } from './organisation-select';
import { adminSeparationRule, RoleCheckboxes } from './role-checkboxes';
import { assignUserRoles, createUser, resetUserPassword, updateUser, usersQueryKey } from './users.api';

const phoneRule = { pattern: /^1\d{10}$/ };

interface UserFormValues {
  username: string;
  displayName: string;
  organisationId?: string | null;
  phone?: string;
  password: string;
  roles?: Role[];
}

/** Create a user (with roles only when the actor may assign roles) or edit name, organisation and phone. */
export function UserFormModal({ editing, canAssignRoles, onClose }: { editing: User | 'new'; canAssignRoles: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserFormValues>();
  const isNew = editing === 'new';
  const save = useMutation({
    mutationFn: (values: UserFormValues) => {
      const phone = values.phone?.trim() || undefined;
      if (isNew) {
        const input: CreateUserInput = {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          organisationId: values.organisationId || null,
          phone: phone ?? null,
          password: values.password,
          roles: canAssignRoles ? (values.roles ?? []) : [],
        };
        return createUser(input);
      }
      // The phone comes masked; an empty field means "leave it unchanged".
      const input: UpdateUserInput = {
        displayName: values.displayName.trim(),
        organisationId: values.organisationId || null,
        ...(phone ? { phone } : {}),
      };
      return updateUser(editing.id, input);
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
      onClose();
    },
    onError: (error) => {
      if (applyFieldErrors(form, error)) return;
      if (isApiError(error, 'PASSWORD_POLICY') && isNew) form.setFields([{ name: 'password', errors: [errorText(error, t)] }]);
      else if (isApiError(error, 'ADMIN_SEPARATION') && isNew && canAssignRoles) form.setFields([{ name: 'roles', errors: [errorText(error, t)] }]);
      else void message.error(errorText(error, t));
    },
  });

  return (
    <Modal
      open
      title={isNew ? t('users.createTitle') : t('users.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={isNew && canAssignRoles ? 640 : undefined}
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={isNew ? { roles: [] } : { displayName: editing.displayName, organisationId: editing.organisationId }}
        onFinish={(values) => save.mutate(values)}
      >
        {isNew && (
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[
              { required: true, message: t('common.required') },
              { pattern: /^[a-zA-Z0-9_.@-]{3,64}$/, message: t('users.usernameFormat') },
            ]}
          >
            <Input autoComplete="off" autoCapitalize="none" spellCheck={false} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="organisationId" label={t('users.organisation')}>
          <OrganisationSelect currentLabel={isNew ? null : editing.organisationName} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('users.phone')}
          rules={[{ ...phoneRule, message: t('users.phoneFormat') }]}
          extra={!isNew && editing.phone ? editing.phone : undefined}
        >
          <Input inputMode="tel" maxLength={11} placeholder={!isNew && editing.phone ? editing.phone : undefined} />
        </Form.Item>
        {isNew && (
          <Form.Item name="password" label={t('users.password')} extra={t('users.passwordHint')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {isNew && canAssignRoles && (
          <Form.Item name="roles" label={t('users.roles')} rules={[adminSeparationRule(t('users.adminSeparation'))]}>
            <RoleCheckboxes />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newPassword: string }>();
  const reset = useMutation({
    mutationFn: ({ newPassword }: { newPassword: string }) => resetUserPassword(user.id, newPassword),
    onSuccess: () => {
      void message.success(t('users.resetDone'));
      onClose();
    },
    onError: (error) => {
      if (applyFieldErrors(form, error)) return;
      if (isApiError(error, 'PASSWORD_POLICY')) form.setFields([{ name: 'newPassword', errors: [errorText(error, t)] }]);
      else void message.error(errorText(error, t));
    },
  });
  return (
    <Modal
      open
      title={t('users.resetPasswordTitle', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('users.resetPassword')}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={(values) => reset.mutate(values)}>
        <Form.Item name="newPassword" label={t('users.newPassword')} extra={t('users.passwordHint')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function AssignRolesModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ roles: Role[] }>();
  const assign = useMutation({
    mutationFn: ({ roles }: { roles: Role[] }) => assignUserRoles(user.id, roles),
    onSuccess: () => {
      void message.success(t('common.saved'));
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
      onClose();
    },
    onError: (error) => {
      if (isApiError(error, 'ADMIN_SEPARATION')) form.setFields([{ name: 'roles', errors: [errorText(error, t)] }]);
      else if (!applyFieldErrors(form, error)) void message.error(errorText(error, t));
    },
  });
  return (
    <Modal
      open
      title={t('users.assignRolesTitle', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={assign.isPending}
      destroyOnHidden
      width={640}
    >
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ roles: user.roles }} onFinish={(values) => assign.mutate(values)}>
        <Form.Item name="roles" label={t('users.roles')} rules={[adminSeparationRule(t('users.adminSeparation'))]}>
          <RoleCheckboxes />
        </Form.Item>
      </Form>
    </Modal>
  );
}
