/** What the signed-in person sees about themselves (`GET /api/me`, sign-in answers). */
export type UserProfile = {
  id: string;
  kind: 'official' | 'citizen';
  username: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  positionTitle: string | null;
  unitId: string | null;
  unitName: string | null;
  twoFactorEnabled: boolean;
  idNumber: string | null;
};
