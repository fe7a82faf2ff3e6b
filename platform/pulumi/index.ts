/**
 * Pulumi.yaml's entry point (`pulumi up --stack <dev|staging|prod>`). The stack's outputs: url,
 * grafanaUrl, namespace, grafanaAdminPassword (secret), secretNames and dashboards (uid → URL).
 */
import { deploy } from './program.js';

export default async function main() {
  return deploy().outputs;
}
