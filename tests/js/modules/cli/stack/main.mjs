import { explode } from './dep.mjs';

explode();
