import { NotFoundPanel } from "../_components/not-found-panel";

export default NotFoundPanel;
