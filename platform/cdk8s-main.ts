/** The `cdk8s synth` entry point (cdk8s.yaml): every stack's charts in one App, validated, written to $CDK8S_OUTDIR. */
import { App } from 'cdk8s';
import { stacks } from '../stacks/index.js';
import { addStack, type KubeObject } from './app.js';
import { validateObjects } from './validate/index.js';

const app = new App({ outputFileExtension: '.yaml' });
for (const stack of Object.values(stacks)) {
  const { topology, gitops } = addStack(app, stack);
  validateObjects({ stack, topology: topology.toJson() as KubeObject[], gitops: gitops.toJson() as KubeObject[] });
}
app.synth();
