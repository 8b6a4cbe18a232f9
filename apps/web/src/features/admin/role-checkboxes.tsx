import { roles, violatesAdminSeparation, type Role } from '@qinqing/contracts';
import { Checkbox } from 'antd';
import { useTranslation } from 'react-i18next';

/** All roles as checkboxes; use with `adminSeparationRule` in a Form.Item to flag two administrator roles. */
export function RoleCheckboxes({ id, value = [], onChange }: { id?: string; value?: Role[]; onChange?: (value: Role[]) => void }) {
  const { t } = useTranslation();
  return (
    <div id={id}>
      <Checkbox.Group<Role>
        value={value}
        onChange={(next) => onChange?.(next)}
        options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
        style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))', gap: 8 }}
      />
    </div>
  );
}

export function adminSeparationRule(message: string) {
  return {
    validator: (_: unknown, value: Role[] | undefined) =>
      value && violatesAdminSeparation(value) ? Promise.reject(new Error(message)) : Promise.resolve(),
  };
}
