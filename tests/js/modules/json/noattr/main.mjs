(globalThis.jsonNoAttrLog ||= []).push('main');
import data from '../data.json';
export { data };
