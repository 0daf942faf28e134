import 'reflect-metadata';
import { runDepartmentProcess } from '../kernel/department/main';
import { tax } from './index';

runDepartmentProcess(tax).catch((error) => {
  console.error(error);
  process.exit(1);
});
