import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { type StoredFile, uploadFile } from '../../api/documents';

type Props = {
  id?: string;
  value?: StoredFile[];
  onChange?: (files: StoredFile[]) => void;
  /** e.g. ".pdf,image/*" */
  accept: string;
  multiple?: boolean;
  disabled?: boolean;
  label: string;
};

/**
 * Uploads each chosen file at once (POST /api/files) and keeps the stored files as the field's value;
 * the form sends their ids. On a phone the file picker offers the camera for images.
 */
export function FileUpload({ id, value = [], onChange, accept, multiple, disabled, label }: Props) {
  const { message } = App.useApp();
  const [list, setList] = useState<UploadFile<StoredFile>[]>(() =>
    value.map((f) => ({ uid: f.id, name: f.name, status: 'done', response: f })));
  const sync = (next: UploadFile<StoredFile>[]) => {
    setList(next);
    onChange?.(next.filter((f) => f.status === 'done' && f.response).map((f) => f.response!));
  };
  return (
    <Upload<StoredFile>
      id={id}
      accept={accept}
      multiple={multiple}
      disabled={disabled}
      fileList={list}
      maxCount={multiple ? 50 : 1}
      onRemove={(file) => sync(list.filter((f) => f.uid !== file.uid))}
      customRequest={async ({ file, onSuccess, onError }) => {
        try {
          const stored = await uploadFile(file as File);
          onSuccess?.(stored);
        } catch (e) {
          message.error((e as Error).message);
          onError?.(e as Error);
        }
      }}
      onChange={({ fileList }) => {
        const next = (multiple ? fileList : fileList.slice(-1)).filter((f) => f.status !== 'error');
        if (next.every((f) => f.status !== 'uploading')) sync(next);
        else setList(next);
      }}
    >
      <Button icon={<UploadOutlined />} disabled={disabled}>{label}</Button>
    </Upload>
  );
}
