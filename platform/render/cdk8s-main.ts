/** The `cdk8s synth` entry point (cdk8s.yaml): every stack's charts in one App, validated, written to $CDK8S_OUTDIR. */
import { App } from 'cdk8s';
import { stacks } from './stacks.js';
import { addStack, validatedObjects } from './build-stack.js';

const app = new App({ outputFileExtension: '.yaml' });
for (const stack of Object.values(stacks)) validatedObjects(stack, addStack(app, stack));
app.synth();
