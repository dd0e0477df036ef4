// The shared interface primitives (the dashboard's and the claims pages'). Props are kept stable.
export { Alert, ErrorState } from "./alert";
export { Badge, type BadgeTone } from "./badge";
export { Button, Spinner, buttonClasses, type ButtonProps, type ButtonSize, type ButtonVariant } from "./button";
export { Card, Stat, type CardProps } from "./card";
export { cx } from "./cx";
export { EmptyState } from "./empty-state";
export { formatCount, formatMoney } from "./money";
export { PageHeader } from "./page-header";
export { ProgressBar, type ProgressBarProps } from "./progress-bar";
export { LoadingRows, Skeleton } from "./skeleton";
export { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "./table";
