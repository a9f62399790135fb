export default async () => 'async arrow';
