export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body. */
  text: string;
}
