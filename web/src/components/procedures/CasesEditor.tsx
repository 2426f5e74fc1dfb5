import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, Input, InputNumber, Space } from 'antd';
import { useT } from '../../i18n';
import { DurationInput, TemplateInput } from './inputs';

/** Cases (trường hợp) of a procedure, each with its own optional time limit and its required documents. */
export function CasesEditor() {
  const t = useT();
  return (
    <Form.List name={['record', 'cases']}>
      {(cases, { add, remove }) => (
        <Space direction="vertical" style={{ width: '100%' }}>
          {cases.map((c, ci) => (
            <Card
              key={c.key}
              size="small"
              title={`${t('proc.case')} ${ci + 1}`}
              extra={cases.length > 1 && <Button size="small" icon={<DeleteOutlined />} onClick={() => remove(c.name)}>{t('proc.remove')}</Button>}
            >
              <Form.Item name={[c.name, 'key']} hidden><Input /></Form.Item>
              <Form.Item name={[c.name, 'name']} label={t('proc.caseName')} rules={[{ required: true, whitespace: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name={[c.name, 'timeLimit']} label={t('proc.caseTimeLimit')}>
                <DurationInput allowEmpty />
              </Form.Item>
              <Form.List name={[c.name, 'documents']}>
                {(docs, { add: addDoc, remove: removeDoc }) => (
                  <>
                    {docs.map((d) => (
                      <Space key={d.key} wrap align="start" style={{ display: 'flex', borderTop: '1px dashed #eee', paddingTop: 8 }}>
                        <Form.Item name={[d.name, 'name']} rules={[{ required: true, whitespace: true }]} style={{ width: 380, marginBottom: 8 }}>
                          <Input.TextArea autoSize placeholder={t('proc.docName')} aria-label={t('proc.docName')} />
                        </Form.Item>
                        <Form.Item name={[d.name, 'originals']} label={t('proc.originals')} style={{ marginBottom: 8 }}>
                          <InputNumber min={0} max={20} style={{ width: 64 }} />
                        </Form.Item>
                        <Form.Item name={[d.name, 'copies']} label={t('proc.copies')} style={{ marginBottom: 8 }}>
                          <InputNumber min={0} max={20} style={{ width: 64 }} />
                        </Form.Item>
                        <Form.Item name={[d.name, 'required']} valuePropName="checked" style={{ marginBottom: 8 }}>
                          <Checkbox>{t('proc.required')}</Checkbox>
                        </Form.Item>
                        <Form.Item name={[d.name, 'template']} label={t('proc.template')} style={{ marginBottom: 8 }}>
                          <TemplateInput />
                        </Form.Item>
                        <Button icon={<DeleteOutlined />} aria-label={t('proc.remove')} onClick={() => removeDoc(d.name)} />
                      </Space>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => addDoc({ name: '', originals: 1, copies: 0, required: true, template: null })}>{t('proc.addDocument')}</Button>
                  </>
                )}
              </Form.List>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ name: '', timeLimit: null, documents: [] })}>{t('proc.addCase')}</Button>
        </Space>
      )}
    </Form.List>
  );
}
